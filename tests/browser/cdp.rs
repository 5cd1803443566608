//! A page in headless Chromium, driven over the DevTools protocol through
//! a pipe (`--remote-debugging-pipe`: Chromium reads commands on its file
//! descriptor 3 and writes answers on 4, each message ending in a NUL), so
//! the tests need neither a network port nor a package from npm.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// Headless, as root, and on a closed network (no background connections).
pub const CLOSED: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

unsafe extern "C" {
    fn dup2(old: i32, new: i32) -> i32;
    fn fcntl(fd: i32, command: i32, ...) -> i32;
}

/// `fcntl`'s "duplicate to the lowest free descriptor at least this".
const F_DUPFD: i32 = 0;

/// One Chromium with one page open.
pub struct Browser {
    child: Child,
    to: std::io::PipeWriter,
    from: BufReader<std::io::PipeReader>,
    session: String,
    next: u64,
    dir: PathBuf,
}

impl Browser {
    /// Opens `page` (written to a file of its own, opened from `file://`,
    /// with `fragment`) in a window `width` × `height` pixels.
    pub fn open(page: &str, name: &str, fragment: &str, (width, height): (u32, u32)) -> Browser {
        let dir = std::env::temp_dir().join(format!("encdec-cdp-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("page.html");
        std::fs::write(&file, page).unwrap();
        let (chrome_reads, to) = std::io::pipe().unwrap();
        let (from, chrome_writes) = std::io::pipe().unwrap();
        let (r, w) = (chrome_reads.as_raw_fd(), chrome_writes.as_raw_fd());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let mut command = Command::new(&chromium);
        command
            .args(CLOSED)
            .args(["--remote-debugging-pipe", "--hide-scrollbars"])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg("about:blank")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // SAFETY: between fork and exec only dup2 runs, which is async-signal-safe.
        unsafe {
            command.pre_exec(move || {
                // The pipes' own descriptors may be 3 or 4: move them out
                // of the way first.
                let (r, w) = (fcntl(r, F_DUPFD, 10), fcntl(w, F_DUPFD, 10));
                if r < 0 || w < 0 || dup2(r, 3) < 0 || dup2(w, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {chromium}: {e} (install Debian's chromium)"));
        drop((chrome_reads, chrome_writes));
        let mut b = Browser {
            child,
            to,
            from: BufReader::new(from),
            session: String::new(),
            next: 0,
            dir,
        };
        let url = format!("file://{}{fragment}", file.display());
        let target = b.send("Target.createTarget", json!({"url": "about:blank"}), None);
        let id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.send(
            "Target.attachToTarget",
            json!({"targetId": id, "flatten": true}),
            None,
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b.command("Emulation.setDeviceMetricsOverride", json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500}));
        b.command("Page.enable", json!({}));
        b.command("Page.navigate", json!({"url": url}));
        b
    }

    /// Sends a command to the page; returns its result.
    pub fn command(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(method, params, Some(&session))
    }

    fn send(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        self.next += 1;
        let mut message = json!({"id": self.next, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.to.write_all(message.to_string().as_bytes()).unwrap();
        self.to.write_all(b"\0").unwrap();
        loop {
            let mut buf = vec![];
            let n = self.from.read_until(0, &mut buf).unwrap();
            assert!(n > 0, "Chromium closed the pipe during {method}");
            buf.pop();
            let answer: Value = serde_json::from_slice(&buf).unwrap();
            if answer["id"] == json!(self.next) {
                assert!(
                    answer.get("error").is_none(),
                    "{method}: {}",
                    answer["error"]
                );
                return answer["result"].clone();
            }
        }
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns
    /// its value; a thrown error fails the test with its message.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.command(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!(
                "the page threw: {}",
                e["exception"]["description"]
                    .as_str()
                    .unwrap_or(&e.to_string())
            );
        }
        r["result"]["value"].clone()
    }

    /// Waits until `condition` (an expression) is true, up to `seconds`.
    pub fn wait_for(&mut self, condition: &str, seconds: u64) {
        let begun = std::time::Instant::now();
        let guarded = format!(
            "(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"
        );
        while self.eval(&guarded) != json!(true) {
            let errors = self.eval(
                "document.documentElement && document.documentElement.getAttribute('data-errors')",
            );
            assert!(errors.is_null(), "script errors: {errors}");
            assert!(
                begun.elapsed().as_secs() < seconds,
                "waited {seconds} s for {condition}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// A PNG of the whole page, saved at `path`.
    pub fn screenshot(&mut self, path: &Path) {
        self.capture(
            json!({"format": "png", "captureBeyondViewport": true}),
            path,
        );
    }

    /// A PNG of the box around every element `selector` finds, saved at `path`.
    pub fn screenshot_of(&mut self, selector: &str, path: &Path) {
        let s = serde_json::to_string(selector).unwrap();
        let r = self.eval(&format!("(() => {{ const rs = Array.from(document.querySelectorAll({s})).map(e => e.getBoundingClientRect()); const x = Math.min(...rs.map(r => r.left)), y = Math.min(...rs.map(r => r.top)); return [x + scrollX, y + scrollY, Math.max(...rs.map(r => r.right)) - x, Math.max(...rs.map(r => r.bottom)) - y]; }})()"));
        let n = |i: usize| r[i].as_f64().unwrap();
        let clip = json!({"x": n(0), "y": n(1), "width": n(2), "height": n(3), "scale": 1});
        self.capture(
            json!({"format": "png", "captureBeyondViewport": true, "clip": clip}),
            path,
        );
    }

    fn capture(&mut self, params: Value, path: &Path) {
        let r = self.command("Page.captureScreenshot", params);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, decode_base64(r["data"].as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// RFC 4648 base64 back to bytes (what Chromium sends screenshots in).
pub fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
            (0..c.len() - 1).map(move |i| (n >> (16 - 8 * i)) as u8)
        })
        .collect()
}
