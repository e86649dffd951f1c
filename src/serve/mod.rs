//! `handbok serve`: the project built into memory ([`Session`]), served over HTTP
//! ([`http`]), rebuilt on every save ([`watch`]), with open pages told what changed
//! ([`reload`]). Nothing is written to disk.
//!
//! Two threads share the session: the watch thread takes batches of changed paths and
//! updates it (holding the write lock for the update), and the server's tasks read files from
//! it. Requests that come during an update wait for it and get the new site.

pub mod http;
pub mod reload;
pub mod watch;

use crate::render::BuildOptions;
use crate::report::{self, Emit};
use crate::session::{Session, Update};
use reload::Hub;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// What `handbok serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// Open the site in the browser.
    pub open: bool,
    pub build: BuildOptions,
    /// How diagnostics are printed.
    pub emit: Emit,
}

/// Serves the project at `root` until Ctrl-C. `Err` says why it could not start.
pub fn run(root: &Path, options: Options) -> Result<(), String> {
    // Before the build: a port in use is said at once, not after the wait.
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("reading the server's address: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the server: {e}"))?;

    // Events name paths below the folder as watched: the same, canonical folder everywhere.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Watching before the build: a save during it is not missed, and once the URL is printed
    // every change is seen.
    let mut watcher = match watch::Watcher::new() {
        Ok(mut watcher) => {
            watcher.watch(std::slice::from_ref(&root));
            Some(watcher)
        }
        Err(err) => {
            eprintln!(
                "warning: cannot watch the project for changes ({err}); restart to see edits"
            );
            None
        }
    };
    let started = Instant::now();
    let session = Session::open(&root, options.build.clone());
    if let Some(watcher) = &mut watcher {
        watcher.watch(&session.watched());
    }
    let (sources, diags) = session.report();
    if let Err(err) = report::emit(sources, diags, options.emit) {
        eprintln!("error: writing diagnostics: {err}");
    }
    let what = if session.failed() {
        "the site could not be built (a stand-in page is served until it can)".to_string()
    } else {
        format!("built the site in {}", took(started.elapsed()))
    };
    eprintln!("{}", report::summary(diags, &what));

    let hub = Arc::new(Hub::new(&session));
    let session = Arc::new(RwLock::new(session));
    if let Some(watcher) = watcher {
        let (session, hub) = (session.clone(), hub.clone());
        std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || watch_and_update(watcher, &session, &hub, options.emit))
            .map_err(|e| format!("starting the watch thread: {e}"))?;
    }

    let url = url_of(address);
    eprintln!("serving {url} (press Ctrl-C to stop)");
    if !options.bind.is_loopback() {
        eprintln!(
            "note: listening on {}: anyone who can reach this computer can read the preview",
            options.bind
        );
    }
    if options.open {
        open_browser(&url);
    }

    let app = http::router(http::Shared {
        session,
        hub: hub.clone(),
    });
    let served = runtime.block_on(async move {
        let listener = listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|e| format!("listening on {address}: {e}"))?;
        axum::serve(listener, app)
            .with_graceful_shutdown(stopped(hub))
            .await
            .map_err(|e| format!("serving: {e}"))
    });
    // The watch thread is blocked on the disk; it ends with the process.
    runtime.shutdown_timeout(Duration::from_secs(1));
    served?;
    eprintln!("stopped");
    Ok(())
}

/// A listening socket, or what to do instead.
fn bind(address: IpAddr, port: u16) -> Result<std::net::TcpListener, String> {
    use std::io::ErrorKind;
    std::net::TcpListener::bind((address, port)).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => format!(
            "port {port} on {address} is already in use (another `handbok serve`?); choose \
             another with --port, or --port 0 for any free one"
        ),
        ErrorKind::AddrNotAvailable => {
            format!("{address} is not an address of this computer (--bind)")
        }
        ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {port} (ports below 1024 need privileges); choose \
             another with --port"
        ),
        _ => format!("listening on {address} port {port}: {e}"),
    })
}

/// The URL to open: an unspecified address (`0.0.0.0`) is reached as this computer.
fn url_of(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// Opens `url` in the browser, except where there is no screen to show it on (CI, a Linux
/// session without a display): there it is quietly left to the author.
fn open_browser(url: &str) {
    let no_display = cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none();
    if std::env::var_os("CI").is_some() || no_display {
        return;
    }
    let url = url.to_string();
    // A browser that starts slowly must not hold up the server.
    std::thread::spawn(move || {
        if let Err(err) = opener::open_browser(&url) {
            eprintln!("note: could not open a browser ({err}); open {url} yourself");
        }
    });
}

/// Resolves on Ctrl-C (or SIGTERM), after ending the pages' event streams, so the server's
/// graceful shutdown does not wait for pages that never close.
async fn stopped(hub: Arc<Hub>) {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    hub.stop();
}

/// The watch thread: each batch of changes is one update, told to the terminal and the pages.
fn watch_and_update(mut watcher: watch::Watcher, session: &RwLock<Session>, hub: &Hub, emit: Emit) {
    while let Some(batch) = watcher.next_batch(|path| session.blocking_read().is_relevant(path)) {
        let paths: Vec<_> = batch.into_iter().map(|change| change.path).collect();
        let was_failed = session.blocking_read().failed();
        let update = session.blocking_write().update(&paths);
        let session = session.blocking_read();
        hub.updated(&update, &session);
        tell(&update, was_failed, &session, emit);
        // What is watched follows the project (a book.toml edit may name other folders).
        watcher.watch(&session.watched());
    }
}

/// One line per update on stderr; when it failed, its errors first.
fn tell(update: &Update, was_failed: bool, session: &Session, emit: Emit) {
    let (sources, diags) = session.report();
    if !update.ok {
        // Errors only: the warnings were shown when serving started.
        let errors = Emit {
            quiet: true,
            ..emit
        };
        if let Err(err) = report::emit(sources, diags, errors) {
            eprintln!("error: writing diagnostics: {err}");
        }
        eprintln!(
            "update failed in {}: {}; still serving the last good site",
            took(update.took),
            report::count(diags.errors(), "error")
        );
        return;
    }
    let pages = update
        .changed
        .iter()
        .filter(|p| p.ends_with(".html"))
        .count();
    let others = update.changed.len() - pages;
    let what = match (pages, others) {
        (0, 0) => "nothing changed".to_string(),
        (p, 0) => format!("{} changed", report::count(p, "page")),
        (0, o) => format!("{} changed", report::count(o, "file")),
        (p, o) => format!(
            "{} and {} changed",
            report::count(p, "page"),
            report::count(o, "other file")
        ),
    };
    let fixed = if was_failed { "fixed; " } else { "" };
    let warnings = match diags.warnings() {
        0 => String::new(),
        n => format!(" ({})", report::count(n, "warning")),
    };
    eprintln!("{fixed}rebuilt in {}: {what}{warnings}", took(update.took));
}

fn took(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
