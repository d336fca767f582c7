//! Live reload: the script every page is served with, and how it is put in.
//!
//! Every HTML page is served with one extra `<script src="/__docsite/live.js">`, put in
//! once per build (every request for the page shares that copy). The script
//! long-polls `/__docsite/poll?v=<version>`: the request waits until the server's build
//! version differs from the page's, then answers `{"v", "kind", "error"}` (`kind` is
//! `"full"` or `"css"`). No WebSocket and no server push are needed, and a poll that is cut
//! off (the server restarting) is retried. These two paths are matched after
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

/// Whether `served` is `inject(page, version)`, compared in place (no copy is made).
pub(super) fn served_as(served: &[u8], version: u64, page: &[u8]) -> bool {
    let tag = live_tag(version);
    let (at, end) = (script_at(page), script_at(page) + tag.len());
    served.len() == page.len() + tag.len()
        && served[..at] == page[..at]
        && served[at..end] == *tag.as_bytes()
        && served[end..] == page[at..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_page_is_recognised_as_its_source_and_the_script_only() {
        for page in [&b"<p>x</p></body></html>"[..], b"no body end", b""] {
            let served = inject(page, 12);
            assert!(served_as(&served, 12, page));
            assert!(!served_as(&served, 1, page));
            assert!(!served_as(page, 12, page));
            let mut other = page.to_vec();
            other.push(b'!');
            assert!(!served_as(&served, 12, &other));
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>", 3)).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"/__docsite/live.js\" data-v=\"3\" defer></script></BODY></html>"
        );
    }
}
