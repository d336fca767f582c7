//! Live reload: the script every page is served with, and how it is put in.
//!
//! Every HTML page is served with one extra `<script src="/__docsite/live.js">`, put in
//! at the page's first request of each build version, and that copy shared by every later
//! request (so no build copies every page, and a build that changes one page leaves the
//! others' bytes as they were). The script
//! long-polls `/__docsite/poll?v=<version>`: the request waits until the server's build
//! version differs from the page's, then answers `{"v", "kind", "error"}` (`kind` is
//! `"full"`, `"css"`, or `"preview"`: an edited page swapped in before the rebuild ends,
//! which a page treats as `"full"`). No WebSocket and no server push are needed, and a poll
//! that is cut off (the server restarting) is retried. These two paths are matched after
//! percent-decoding, as files are, and always answered by `serve` ([`super::http`]): a file
//! the build makes at `__docsite/live.js` or `__docsite/poll` (from `static/`) is never
//! served, and each build that has one says so in a warning.

/// The script itself (`live.js` beside this file), served at [`LIVE_PATH`].
pub(super) const LIVE_JS: &str = include_str!("live.js");

/// The endpoints `serve` answers itself, whatever the build holds at these paths.
pub(super) const LIVE_PATH: &str = "/__docsite/live.js";
pub(super) const POLL_PATH: &str = "/__docsite/poll";

/// The live-reload script's tag, for a page of build `version`.
fn live_tag(version: u64) -> String {
    format!("<script src=\"{LIVE_PATH}\" data-v=\"{version}\" defer></script>")
}

/// Where the script goes: before the page's last `</body>`, else at its end.
fn script_at(html: &[u8]) -> usize {
    html.windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len())
}

/// Adds the live-reload script to a page.
pub(super) fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let tag = live_tag(version);
    let at = script_at(html);
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>", 3)).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"/__docsite/live.js\" data-v=\"3\" defer></script></BODY></html>"
        );
    }
}
