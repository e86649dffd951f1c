//! Requests in, the site's files out, from memory: a request path becomes a site path (or is
//! refused), a folder URL means its `index.html`, a missing file the site's `404.html` with
//! status 404. Every HTML page served gets the live-reload script; nothing here reads the disk.

use super::reload::{self, Hub};
use crate::session::Session;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;
use tokio::sync::RwLock;

/// What every request handler shares.
#[derive(Clone)]
pub struct Shared {
    pub session: Arc<RwLock<Session>>,
    pub hub: Arc<Hub>,
}

/// The routes: the live-reload endpoints under `/__handbok/`, the site everywhere else.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route(reload::EVENTS, get(reload::events))
        .route(reload::SCRIPT, get(reload::script))
        .fallback(site)
        .with_state(shared)
}

/// Why a request path names no site file.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// `..`, `.`, an encoded `/` or `\`, NUL, bad percent-encoding or not UTF-8.
    BadPath,
}

/// The site path (`en/modules/x.html`) a request path (`/en/modules/x.html`) names; `/` and
/// `/en/` name `index.html` and `en/index.html`. Each segment is percent-decoded on its own,
/// so an encoded `/` cannot join segments, and a segment that decodes to `.` or `..` or holds
/// `\` or NUL is refused rather than normalised away.
pub fn site_path(request: &str) -> Result<String, Refused> {
    let rest = request.strip_prefix('/').ok_or(Refused::BadPath)?;
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        if raw.is_empty() {
            continue; // `//` and the trailing `/`
        }
        let bytes = percent_decode(raw).ok_or(Refused::BadPath)?;
        let segment = String::from_utf8(bytes).map_err(|_| Refused::BadPath)?;
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Err(Refused::BadPath);
        }
        segments.push(segment);
    }
    if rest.is_empty() || rest.ends_with('/') {
        segments.push("index.html".into());
    }
    Ok(segments.join("/"))
}

/// `%xx` decoded; `None` when a `%` is not followed by two hex digits.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The media type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

/// Everything but the live-reload endpoints: a file of the site.
async fn site(State(shared): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let Ok(path) = site_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    let session = shared.session.read().await;
    if let Some(bytes) = session.get(&path) {
        return file(StatusCode::OK, &path, &path, bytes);
    }
    // `/en` for the folder `/en/`: redirect, so the page's relative links resolve.
    let index = format!("{path}/index.html");
    if !path.ends_with(".html") && session.get(&index).is_some() {
        let mut to = format!("{}/", uri.path());
        if let Some(query) = uri.query() {
            to = format!("{to}?{query}");
        }
        return redirect(&to);
    }
    // The language's own 404 page when the path is in a language's folder, else the root's.
    let lang_404 = path
        .split_once('/')
        .map(|(lang, _)| format!("{lang}/404.html"));
    let not_found = lang_404
        .into_iter()
        .chain(["404.html".to_string()])
        .find_map(|p| session.get(&p).map(|bytes| (p, bytes)));
    match not_found {
        Some((found, bytes)) => file(StatusCode::NOT_FOUND, &found, &path, bytes),
        None if session.failed() => file(
            StatusCode::NOT_FOUND,
            "index.html",
            &path,
            Arc::from(reload::NOT_BUILT.as_bytes()),
        ),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A site file as a response; HTML gets the live-reload script, told that the page stands for
/// `page` (the file asked for, even when a 404 page answers).
fn file(status: StatusCode, served: &str, page: &str, bytes: Arc<[u8]>) -> Response {
    let kind = content_type(served);
    let body = if kind.starts_with("text/html") {
        Body::from(reload::inject(&bytes, page))
    } else {
        Body::from(Bytes::from_owner(bytes))
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    preview_headers(headers);
    response
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    preview_headers(response.headers_mut());
    response
}

pub fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    preview_headers(response.headers_mut());
    response
}

/// A preview changes under the browser's feet: nothing may be cached.
pub fn preview_headers(headers: &mut axum::http::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_name_site_paths_or_are_refused() {
        let ok = [
            ("/", "index.html"),
            ("/en/", "en/index.html"),
            ("/en", "en"),
            ("/en/modules/x.html", "en/modules/x.html"),
            ("/a%20b.png", "a b.png"),
            ("//en//x.html", "en/x.html"),
            ("/%C3%A9.html", "é.html"),
        ];
        for (request, site) in ok {
            assert_eq!(site_path(request).as_deref(), Ok(site), "{request}");
        }
        let refused = [
            "/../book.toml",
            "/en/../../book.toml",
            "/%2e%2e/book.toml",
            "/%2E%2E/book.toml",
            "/..%2fbook.toml",
            "/..%2Fbook.toml",
            "/..%5cbook.toml",
            "/..\\book.toml",
            "/a%00.html",
            "/./index.html",
            "/%zz",
            "/%",
            "/%ff.html",
            "book.toml",
        ];
        for request in refused {
            assert_eq!(site_path(request), Err(Refused::BadPath), "{request}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/x.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("m/v.webm"), "video/webm");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
