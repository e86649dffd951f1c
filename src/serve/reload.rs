//! Live reload: after each update, the browser is told over server-sent events what changed
//! (`reload`, the site paths as a JSON array), what is wrong (`problems`: the diagnostics as
//! text and as data, for the overlay) or that it is fixed (`ok`). The script that listens,
//! `reload.js`, is served from memory and put into HTML pages by `serve` only: `build` output
//! never mentions it.

use super::http::{Shared, preview_headers};
use crate::diag::Severity;
use crate::report::{self, JsonDiagnostic};
use crate::session::{Session, Update};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The event stream's URL.
pub const EVENTS: &str = "/__handbok/events";
/// The script's URL.
pub const SCRIPT: &str = "/__handbok/reload.js";

/// The script: listens to [`EVENTS`], reloads the page, shows the problems overlay.
const SCRIPT_TEXT: &str = include_str!("reload.js");

/// What is served in place of every page while the project has never built.
pub const NOT_BUILT: &str = include_str!("not-built.html");

/// What the browser is told.
#[derive(Debug, Clone)]
enum Notice {
    /// JSON: the site paths that changed.
    Reload(Arc<str>),
    /// JSON: see [`Problems`].
    Problems(Arc<str>),
    Ok,
}

impl Notice {
    fn event(&self) -> Event {
        match self {
            Notice::Reload(paths) => Event::default().event("reload").data(&**paths),
            Notice::Problems(json) => Event::default().event("problems").data(&**json),
            Notice::Ok => Event::default().event("ok").data("{}"),
        }
    }
}

/// The diagnostics as the overlay shows them: errors first.
#[derive(Serialize)]
struct Problems<'a> {
    errors: usize,
    warnings: usize,
    /// As the terminal shows them, without colour.
    text: String,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Where updates are announced and listeners subscribe.
pub struct Hub {
    notices: broadcast::Sender<Notice>,
    /// The latest update's problems while it failed: a page opened now shows them at once.
    problems: Mutex<Option<Arc<str>>>,
    /// Set when the server stops: every event stream ends.
    stop: watch::Sender<bool>,
    /// This server's identity: a page that reconnects to another server (restarted) reloads.
    instance: String,
}

impl Hub {
    pub fn new(session: &Session) -> Hub {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let hub = Hub {
            notices: broadcast::channel(64).0,
            problems: Mutex::new(None),
            stop: watch::channel(false).0,
            instance: format!("\"{}-{}\"", std::process::id(), started.as_nanos()),
        };
        if session.failed() {
            *hub.problems() = Some(problems(session));
        }
        hub
    }

    fn problems(&self) -> std::sync::MutexGuard<'_, Option<Arc<str>>> {
        self.problems.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tells every open page what `update` did.
    pub fn updated(&self, update: &Update, session: &Session) {
        // No listener is no error: nothing to tell.
        if update.ok {
            if self.problems().take().is_some() {
                let _ = self.notices.send(Notice::Ok);
            }
            if !update.changed.is_empty() {
                let paths = serde_json::to_string(&update.changed).unwrap_or_default();
                let _ = self.notices.send(Notice::Reload(paths.into()));
            }
        } else {
            let json = problems(session);
            *self.problems() = Some(json.clone());
            let _ = self.notices.send(Notice::Problems(json));
        }
    }

    /// Ends every event stream (so the server can stop without waiting for the pages).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

fn problems(session: &Session) -> Arc<str> {
    let (sources, diags) = session.report();
    let errors_first = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .chain(diags.iter().filter(|d| d.severity != Severity::Error));
    let mut text = String::new();
    let mut diagnostics = Vec::new();
    for d in errors_first {
        text.push_str(&report::human(sources, d, false));
        diagnostics.push(report::json(sources, d));
    }
    let problems = Problems {
        errors: diags.errors(),
        warnings: diags.warnings(),
        text,
        diagnostics,
    };
    serde_json::to_string(&problems).unwrap_or_default().into()
}

/// `GET /__handbok/events`: `hello` (the server's identity) and the current problems, then
/// every notice as it comes.
pub async fn events(State(shared): State<Shared>) -> Response {
    let hub = shared.hub;
    let notices = hub.notices.subscribe();
    let mut first = vec![
        Event::default()
            .event("hello")
            .data(&hub.instance)
            .retry(Duration::from_millis(500)),
    ];
    if let Some(json) = hub.problems().clone() {
        first.push(Notice::Problems(json).event());
    }
    let state = (first.into_iter(), notices, hub.stop.subscribe());
    let stream = futures_util::stream::unfold(state, |(mut first, mut notices, mut stop)| {
        async move {
            if let Some(event) = first.next() {
                return Some((Ok::<_, Infallible>(event), (first, notices, stop)));
            }
            if *stop.borrow() {
                return None;
            }
            let event = tokio::select! {
                _ = stop.changed() => return None,
                notice = notices.recv() => match notice {
                    Ok(notice) => notice.event(),
                    // Too far behind to know what changed: reload.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("reload").data("[]")
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            Some((Ok(event), (first, notices, stop)))
        }
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    preview_headers(response.headers_mut());
    response
}

/// `GET /__handbok/reload.js`.
pub async fn script() -> Response {
    let mut response = SCRIPT_TEXT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    preview_headers(headers);
    response
}

/// `html` with the script added at the end of its `<head>` (or of the document), told which
/// site path the page stands for. The page's Content-Security-Policy allows it as it is:
/// script from the site itself (`'self'`), and the event stream is the same origin.
pub fn inject(html: &[u8], page: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{SCRIPT}\" data-page=\"{}\" defer></script>",
        html_escape::encode_double_quoted_attribute(page)
    );
    let at = find_ignoring_case(html, b"</head>")
        .or_else(|| find_ignoring_case(html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_at_the_end_of_head_with_the_page_escaped() {
        let html = b"<html><HEAD><title>x</title></HEAD><body></body></html>";
        let out = String::from_utf8(inject(html, "en/a\"<b.html")).unwrap();
        assert_eq!(
            out,
            "<html><HEAD><title>x</title><script src=\"/__handbok/reload.js\" \
             data-page=\"en/a&quot;&lt;b.html\" defer></script></HEAD><body></body></html>"
        );
        let bare = String::from_utf8(inject(b"<p>hi", "x.html")).unwrap();
        assert!(bare.starts_with("<p>hi<script src="), "{bare}");
    }
}
