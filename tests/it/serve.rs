//! `serve`: a real server process on a free loopback port, asked over raw TCP so that the
//! request paths reach it exactly as written (no client normalises `..` away).

use crate::harness::SiteTest;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Served {
    child: Child,
    port: u16,
    log: std::sync::mpsc::Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(t: &SiteTest, extra: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docsite"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(t.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let (tx, log) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let port = loop {
        match log.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
                    break rest.split('/').next().and_then(|p| p.parse().ok());
                }
            }
            Err(_) => break None,
        }
    };
    match port {
        Some(port) => Served { child, port, log },
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not start");
        }
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Served {
    fn get(&self, path: &str) -> Reply {
        self.get_with(path, "")
    }

    /// A GET with extra header lines (each ending in `\r\n`).
    fn get_with(&self, path: &str, headers: &str) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{headers}\r\n",
            self.port
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
        Reply {
            status,
            headers: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn version(&self) -> u64 {
        let r = self.get("/__docsite/poll");
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["v"].as_u64().unwrap()
    }

    /// Waits for the build after `v` and returns the poll's answer.
    fn next_build(&self, v: u64) -> serde_json::Value {
        let r = self.get(&format!("/__docsite/poll?v={v}"));
        serde_json::from_str(&r.body).unwrap()
    }
}

#[test]
fn serves_pages_with_the_right_types_the_local_base_url_and_404s() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home
        .headers
        .contains("content-type: text/html; charset=utf-8"));
    assert!(home.body.contains("<script src=\"/__docsite/live.js\""));
    assert!(
        home.body.contains(&format!(
            "<link rel=\"canonical\" href=\"http://127.0.0.1:{}/\">",
            s.port
        )),
        "the base URL is the local address"
    );
    for (path, mime) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/timeline.js", "text/javascript; charset=utf-8"),
        ("/timeline.json", "application/json"),
        ("/favicon.svg", "image/svg+xml"),
        ("/atom.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {mime}")),
            "{path}: {}",
            r.headers
        );
    }
    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let folder = s.get("/timeline");
    assert_eq!(folder.status, 301);
    assert!(folder.headers.contains("location: /timeline/"));
}

#[test]
fn nothing_outside_the_site_is_ever_served() {
    let t = SiteTest::new("build/minimal");
    std::fs::write(t.path("secret.txt"), "the site's private file").unwrap();
    let s = serve(&t, &[]);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/static/../../secret.txt",
        "/site.toml",
        "/content/index.md",
        "/templates/base.html",
        "/%00",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("private"), "{path} leaked the file");
        assert!(!r.body.contains("root:"), "{path} leaked /etc/passwd");
    }
    // A symlink that leads out of static/ fails the build; the last good build is served.
    let v = s.version();
    std::os::unix::fs::symlink(t.path("secret.txt"), t.path("static/leak.txt")).unwrap();
    let after = s.next_build(v);
    let error = after["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("error: this symlink leads out of static/, to "),
        "{error}"
    );
    let r = s.get("/leak.txt");
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("private"));
    assert_eq!(s.get("/").status, 200);
}

/// The value of header `name` (lowercase), if the reply has it.
fn header<'r>(r: &'r Reply, name: &str) -> Option<&'r str> {
    r.headers
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

#[test]
fn assets_carry_an_etag_and_unchanged_ones_answer_304() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let first = s.get("/style.css");
    assert_eq!(first.status, 200);
    let etag = header(&first, "etag").expect("an ETag").to_string();
    assert!(
        etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
        "{etag}"
    );
    let again = s.get_with("/style.css", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    assert_eq!(again.body, "");
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    // Pages carry the live-reload script and the build's version: never a 304.
    assert_eq!(header(&s.get("/"), "etag"), None);

    // An edit to the stylesheet changes its tag, and the old tag gets the new file.
    let v = s.version();
    let css = std::fs::read_to_string(t.path("static/style.css")).unwrap();
    t.write("static/style.css", &format!("{css}\n/* edited */\n"));
    let next = s.next_build(v);
    assert_eq!(next["error"], serde_json::Value::Null);
    let edited = s.get_with("/style.css", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(edited.status, 200);
    assert!(edited.body.ends_with("/* edited */\n"));
    assert_ne!(header(&edited, "etag"), Some(etag.as_str()));
}

#[test]
fn an_edit_rebuilds_and_an_error_keeps_the_last_good_build() {
    let t = SiteTest::new("check/draft");
    let s = serve(&t, &[]);
    // Drafts are shown.
    assert_eq!(s.get("/events/1960-draft/").status, 200);
    let event = "content/events/1968-peace-talks.md";
    let text = std::fs::read_to_string(t.path(event)).unwrap();

    let v = s.version();
    t.write(
        event,
        &text.replace("relations deteriorated", "relations soured"),
    );
    let next = s.next_build(v);
    assert_eq!(next["error"], serde_json::Value::Null);
    assert!(s
        .get("/events/1968-peace-talks/")
        .body
        .contains("relations soured"));

    let v = next["v"].as_u64().unwrap();
    t.write(
        event,
        &text.replace("date = \"1968\"", "date = \"1968-13\""),
    );
    let next = s.next_build(v);
    assert_eq!(
        next["error"].as_str().unwrap(),
        "error: month 13 does not exist: months run from 01 to 12\n --> content/events/1968-peace-talks.md:3:14\n  |\n3 | date = \"1968-13\"\n  |              ^^\n  = hint: dates are YYYY, YYYY-MM or YYYY-MM-DD\n\n1 problem found"
    );
    // Still the last good build.
    assert!(s
        .get("/events/1968-peace-talks/")
        .body
        .contains("relations soured"));

    // New and deleted files are picked up.
    let v = next["v"].as_u64().unwrap();
    t.write(event, &text);
    std::fs::remove_file(t.path("content/events/1960-draft.md")).unwrap();
    let mut next = s.next_build(v);
    while next["error"] != serde_json::Value::Null || s.get("/events/1960-draft/").status != 404 {
        next = s.next_build(next["v"].as_u64().unwrap());
    }
    assert_eq!(s.get("/events/1960-draft/").status, 404);
    let log: Vec<String> = s.log.try_iter().collect();
    assert!(log.iter().any(|l| l.starts_with("built ")), "{log:?}");
}

#[test]
fn a_taken_port_and_a_public_interface_are_told_plainly() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let r = t.run(&["serve", "--port", &s.port.to_string()]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr,
        format!(
            "error: port {} on 127.0.0.1 is taken (is another `serve` running?); choose another with --port\n",
            s.port
        )
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_docsite"))
        .args(["serve", "--port", "0", "--interface", "0.0.0.0"])
        .current_dir(t.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        first,
        "warning: serving on 0.0.0.0, which other machines can reach; drafts and unfinished pages are visible to them\n"
    );
}
