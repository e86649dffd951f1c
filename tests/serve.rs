//! `handbok serve` end to end: the real binary on a copy of a project, spoken to over plain
//! HTTP/1.1 (a tiny client below), edited the way editors save. Timeouts are generous (a debug
//! build on a slow two-core CI rebuilds the sample in seconds); nothing waits a fixed time for
//! correctness, everything polls until the expected state or the deadline.

mod common;

use common::{Fixture, handbok};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How long any expected change may take.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `handbok serve`, killed when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
    /// Everything it printed on stderr so far.
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbok"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handbok serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (url_tx, url_rx) = mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(url) = line.strip_prefix("serving http://") {
                        let _ = url_tx.send(url.split('/').next().unwrap_or("").to_string());
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let mut server = Server {
            child,
            address: "127.0.0.1:1".parse().unwrap(),
            log,
        };
        match url_rx.recv_timeout(PATIENCE) {
            Ok(address) => server.address = address.parse().expect("an address in the URL"),
            Err(_) => panic!("no URL printed; stderr:\n{}", server.log()),
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until stderr has `text`.
    #[track_caller]
    fn wait_for_log(&self, text: &str) {
        self.eventually(&format!("{text:?} on stderr"), || {
            self.log().contains(text).then_some(())
        });
    }

    /// Calls `check` until it returns something, or fails after [`PATIENCE`] with the log.
    #[track_caller]
    fn eventually<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(found) = check() {
                return found;
            }
            let log = self.log();
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; stderr:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// One request, with `path` sent exactly as given.
    fn request(&self, method: &str, path: &str) -> Response {
        let mut stream = self.connect();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        Response::parse(&raw)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// The live-reload event stream, once its first event (`hello`) has arrived: events after
    /// that are the server's answer to what the test does next.
    fn events(&self) -> Events {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /__handbok/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("event stream headers");
            if line == "\r\n" {
                break;
            }
            head.push_str(&line.to_ascii_lowercase());
        }
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        let mut events = Events {
            reader,
            chunked: head.contains("transfer-encoding: chunked"),
            buffer: String::new(),
        };
        events.wait_for("hello", |_| true);
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    /// Lower-cased names.
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v)
    }
}

/// A server-sent event stream being read.
struct Events {
    reader: BufReader<TcpStream>,
    chunked: bool,
    /// Decoded text not yet split into events.
    buffer: String,
}

impl Events {
    /// Skips events until one named `name` whose data passes `test`; returns its data.
    #[track_caller]
    fn wait_for(&mut self, name: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let mut event = "message";
                let mut data = Vec::new();
                for line in frame.lines() {
                    if let Some(e) = line.strip_prefix("event:") {
                        event = e.trim_start();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push(d.strip_prefix(' ').unwrap_or(d));
                    }
                }
                let data = data.join("\n");
                if event == name && test(&data) {
                    return data;
                }
                seen.push(format!(
                    "{event}: {}",
                    data.chars().take(200).collect::<String>()
                ));
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event; saw:\n{}",
                seen.join("\n")
            );
            self.read_more();
        }
    }

    fn read_more(&mut self) {
        let result = if self.chunked {
            let mut size = String::new();
            match self.reader.read_line(&mut size) {
                Ok(0) => panic!("the event stream ended"),
                Ok(_) => {
                    let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
                    let mut chunk = vec![0; size + 2];
                    // Once a chunk has begun, it comes whole: wait for it.
                    self.reader
                        .get_ref()
                        .set_read_timeout(Some(PATIENCE))
                        .unwrap();
                    self.reader.read_exact(&mut chunk).expect("a whole chunk");
                    let quick = Some(Duration::from_millis(200));
                    self.reader.get_ref().set_read_timeout(quick).unwrap();
                    chunk.truncate(size);
                    Ok(chunk)
                }
                Err(e) => Err(e),
            }
        } else {
            let mut chunk = vec![0; 8192];
            self.reader.read(&mut chunk).map(|n| {
                chunk.truncate(n);
                chunk
            })
        };
        match result {
            Ok(bytes) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading events: {e}"),
        }
    }
}

/// Saves `text` to `rel` the way many editors do: a temporary file beside it, renamed over it.
fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let temp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &path).unwrap();
}

const FEEDBACK: &str = "guidelines/assessment/feedback.md";
const FEEDBACK_PAGE: &str = "en/modules/digital-feedback.html";

#[test]
fn serve_follows_edits_and_shows_problems_until_they_are_fixed() {
    let project = Fixture::sample();
    let server = Server::start(&project.root);
    let page = server.get(&format!("/{FEEDBACK_PAGE}"));
    assert_eq!(page.status, 200, "{}", server.log());
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page.body.contains("<script src=\"/__handbok/reload.js\""));
    let mut events = server.events();

    // An edit, saved atomically: the page changes and the stream names it.
    let original = std::fs::read_to_string(project.root.join(FEEDBACK)).unwrap();
    let edited = original.replacen(
        "title: Digital feedback that learners act on",
        "title: Feedback edited while serving",
        1,
    );
    assert_ne!(
        edited, original,
        "the sample's title changed; update this test"
    );
    save(&project.root, FEEDBACK, &edited);
    server.eventually("the edited page", || {
        let page = server.get(&format!("/{FEEDBACK_PAGE}"));
        page.body
            .contains("Feedback edited while serving")
            .then_some(())
    });
    let changed = events.wait_for("reload", |data| data.contains(FEEDBACK_PAGE));
    let changed: Vec<String> = serde_json::from_str(&changed).expect("a JSON list of paths");
    assert!(changed.iter().any(|p| p == FEEDBACK_PAGE), "{changed:?}");
    server.wait_for_log("rebuilt in ");

    // Broken YAML: the problems, with file:line:col, go to the browser; the last good page
    // stays served.
    let broken = edited.replacen("\nlevels: [", "\nlevels: [[", 1);
    assert_ne!(broken, edited);
    save(&project.root, FEEDBACK, &broken);
    let problems = events.wait_for("problems", |_| true);
    let problems: serde_json::Value = serde_json::from_str(&problems).expect("JSON problems");
    let yaml = problems["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .find(|d| d["code"] == "E004")
        .unwrap_or_else(|| panic!("no E004 in {problems:#}"));
    assert_eq!(yaml["file"], FEEDBACK);
    assert_eq!(yaml["severity"], "error");
    let place = format!("{FEEDBACK}:{}:{}", yaml["line"], yaml["column"]);
    let text = problems["text"].as_str().unwrap();
    assert!(text.contains(&place), "{place} not in:\n{text}");
    assert!(problems["errors"].as_u64().unwrap() >= 1);
    server.wait_for_log("still serving the last good site");
    let page = server.get(&format!("/{FEEDBACK_PAGE}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Feedback edited while serving"));
    // A page opened now learns of the problems at once.
    server
        .events()
        .wait_for("problems", |data| data.contains(&place));

    // Fixed: `ok` clears the overlay, and the page follows the new text.
    save(&project.root, FEEDBACK, &original);
    events.wait_for("ok", |_| true);
    events.wait_for("reload", |data| data.contains(FEEDBACK_PAGE));
    let page = server.get(&format!("/{FEEDBACK_PAGE}"));
    assert!(page.body.contains("Digital feedback that learners act on"));
    server.wait_for_log("fixed; rebuilt in ");
}

const DELTA: &str = "---\nid: delta\ntitle: Delta module\nsummary: A module made while \
                     serving.\nlevels: [primary]\nsubjects: [arts]\n---\n\n## Delta\n\nDelta \
                     text.\n";

#[test]
fn serve_follows_new_renamed_and_deleted_files_and_folders() {
    let project = Fixture::new("site");
    let server = Server::start(&project.root);
    let status = |path: &str| server.get(path).status;
    assert_eq!(status("/en/modules/delta.html"), 404);

    // A module in a new folder.
    save(&project.root, "guidelines/extra/delta.md", DELTA);
    server.eventually("the new module's page", || {
        (status("/en/modules/delta.html") == 200).then_some(())
    });
    // Renamed: the page (named by the module's id) stays.
    std::fs::rename(
        project.root.join("guidelines/extra/delta.md"),
        project.root.join("guidelines/extra/delta-renamed.md"),
    )
    .unwrap();
    std::fs::write(
        project.root.join("guidelines/extra/delta-renamed.md"),
        DELTA.replace("Delta text.", "Renamed delta."),
    )
    .unwrap();
    server.eventually("the renamed module's text", || {
        server
            .get("/en/modules/delta.html")
            .body
            .contains("Renamed delta.")
            .then_some(())
    });
    // The folder deleted: the page goes.
    std::fs::remove_dir_all(project.root.join("guidelines/extra")).unwrap();
    server.eventually("the deleted module's 404", || {
        (status("/en/modules/delta.html") == 404).then_some(())
    });
    // … and made again: the page is back.
    save(&project.root, "guidelines/extra/delta.md", DELTA);
    server.eventually("the re-created module's page", || {
        (status("/en/modules/delta.html") == 200).then_some(())
    });
    // A file deleted.
    std::fs::remove_file(project.root.join("guidelines/extra/delta.md")).unwrap();
    server.eventually("the deleted file's 404", || {
        (status("/en/modules/delta.html") == 404).then_some(())
    });
}

#[test]
fn serve_keeps_watching_a_project_folder_deleted_and_made_again() {
    let project = Fixture::new("site");
    let server = Server::start(&project.root);
    let mut events = server.events();
    let saved = common::read_tree(&project.root);
    std::fs::remove_dir_all(&project.root).unwrap();
    // No book.toml: a problem, and the last good site stays.
    events.wait_for("problems", |_| true);
    assert_eq!(server.get("/en/modules/alpha.html").status, 200);
    for (rel, bytes) in &saved {
        project.write(rel, bytes);
    }
    events.wait_for("ok", |_| true);
    save(&project.root, "guidelines/extra/delta.md", DELTA);
    events.wait_for("reload", |data| data.contains("en/modules/delta.html"));
    assert_eq!(server.get("/en/modules/delta.html").status, 200);
}

#[test]
fn serve_answers_from_the_site_only() {
    let project = Fixture::new("site");
    let server = Server::start(&project.root);
    let book = std::fs::read_to_string(project.root.join("book.toml")).unwrap();
    let secret = book.lines().find(|l| l.contains("title")).unwrap();
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2e%2e/book.toml",
        "/..%2fbook.toml",
        "/..%5cbook.toml",
        "/en/../../book.toml",
        "/book.toml",
        "/guidelines/school/alpha.md",
        "/%00",
    ] {
        let response = server.get(path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains(secret), "{path} served book.toml");
    }
    // A backslash is not even a valid request.
    let response = server.get("/..\\book.toml");
    assert!(response.status >= 400 && !response.body.contains(secret));

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("/__handbok/reload.js"));
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), "text/html; charset=utf-8");
    let folder = server.get("/en");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), "/en/");
    assert_eq!(server.get("/en/").status, 200);
    let missing = server.get("/en/nothing-here.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html") && missing.body.contains("/__handbok/reload.js"));
    let css = home
        .body
        .split('"')
        .find(|s| s.ends_with(".css"))
        .expect("a stylesheet link");
    let css = server.get(&format!("/{}", css.trim_start_matches("./")));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    let script = server.get("/__handbok/reload.js");
    assert_eq!(script.status, 200);
    assert!(script.header("content-type").starts_with("text/javascript"));
    assert!(script.body.contains("EventSource"));
    assert_eq!(server.request("POST", "/").status, 405);

    // The page's own Content-Security-Policy lets the script and its event stream work:
    // script from 'self', and no connect-src narrower than default-src 'self'.
    let csp = home
        .body
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSP meta")
        .replace("&#x27;", "'");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        csp.contains("default-src 'self'") && !csp.contains("connect-src"),
        "{csp}"
    );

    stop_with_ctrl_c(server);
}

/// Ctrl-C stops the server cleanly, with an open event stream.
#[cfg(unix)]
fn stop_with_ctrl_c(mut server: Server) {
    let _events = server.events();
    let kill = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}\n{}", server.log());
    server.wait_for_log("stopped");
}

#[cfg(not(unix))]
fn stop_with_ctrl_c(_server: Server) {}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let site = Fixture::new("site").build(&Default::default());
    for (path, bytes) in &site.files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("__handbok"),
            "{path} mentions __handbok"
        );
    }
}

#[test]
fn a_port_in_use_is_said_clearly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let project = Fixture::new("site");
    let out = handbok(&project.root, &["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(
        stderr.contains("already in use") && stderr.contains("--port 0"),
        "{stderr}"
    );
}

#[test]
fn a_project_that_never_built_is_served_as_a_stand_in_until_it_does() {
    let project = Fixture::new("site");
    let book = std::fs::read_to_string(project.root.join("book.toml")).unwrap();
    project.write(
        "book.toml",
        book.replace("[handbok]", "[handbok]\nlangauges = 1"),
    );
    let server = Server::start(&project.root);
    server.wait_for_log("the site could not be built");
    let stand_in = server.get("/en/modules/alpha.html");
    assert_eq!(stand_in.status, 404);
    assert!(stand_in.body.contains("No site yet"), "{}", stand_in.body);
    assert!(stand_in.body.contains("/__handbok/reload.js"));
    // A page opened now shows the problems at once.
    let mut events = server.events();
    events.wait_for("problems", |data| data.contains("book.toml:"));
    save(&project.root, "book.toml", &book);
    events.wait_for("ok", |_| true);
    events.wait_for("reload", |data| data.contains("en/modules/alpha.html"));
    assert_eq!(server.get("/en/modules/alpha.html").status, 200);
}
