//! The HTML of media: an image as a `<picture>` (WebP sources and the fallback, each with
//! its `srcset`, `sizes`, `width` and `height`, lazy unless it is the first thing a page
//! shows), a `<figure>` with its caption and credit, native `<video>` and `<audio>`, and
//! a remote video's click-to-load facade: a poster, the title, the provider and a link
//! out, which loads nothing from the provider until the reader follows it.

use super::{Kind, Made, Processed};
use crate::routes;
use crate::text::escape_html;
use std::fmt::Write;

/// `sizes` of an image in the reading column (`--measure` in `static/style.css`).
pub(crate) const PROSE_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";
/// `sizes` of an image on an event's card.
pub(crate) const CARD_SIZES: &str = "(min-width: 42rem) 12rem, calc(100vw - 2rem)";

fn esc(s: &str) -> String {
    let mut o = String::new();
    escape_html(s, &mut o);
    o
}

/// An image: `<picture>` with a WebP `<source>` and the fallback `<img>`.
pub(crate) fn picture(p: &Processed, base: &str, alt: &str, sizes: &str, lazy: bool) -> String {
    let set = |f: &dyn Fn(&super::Size) -> &str| {
        (p.sizes.iter())
            .map(|s| format!("{} {}w", routes::rooted_url(base, f(s)), s.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let big = p.largest();
    let middle = &p.sizes[p.sizes.len().saturating_sub(2).min(p.sizes.len() - 1)];
    let loading = if lazy {
        " loading=\"lazy\" decoding=\"async\""
    } else {
        " fetchpriority=\"high\""
    };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"{loading}></picture>",
        set(&|s| &s.webp),
        routes::rooted_url(base, &middle.fallback),
        set(&|s| &s.fallback),
        big.width,
        big.height,
        esc(alt),
    )
}

/// What a `<figure>` shows under its media: the caption's HTML and the credit, linked
/// when it has an address.
pub(crate) struct Caption<'a> {
    /// A title shown first (a local video's or recording's).
    pub(crate) title: Option<&'a str>,
    pub(crate) html: Option<&'a str>,
    pub(crate) credit: Option<&'a str>,
    pub(crate) credit_url: Option<&'a str>,
}

impl Caption<'_> {
    fn write(&self, out: &mut String) {
        if self.title.is_none() && self.html.is_none() && self.credit.is_none() {
            return;
        }
        out.push_str("<figcaption>");
        if let Some(t) = self.title {
            let _ = write!(out, "<strong>{}</strong> ", esc(t));
        }
        if let Some(h) = self.html {
            out.push_str(strip_p(h));
        }
        if self.credit.is_some() {
            out.push_str(" <span class=\"credit\">");
            self.credit_html(out);
            out.push_str("</span>");
        }
        out.push_str("</figcaption>");
    }

    /// The credit's HTML, linked to `credit_url` when there is one.
    pub(crate) fn credit_html(&self, out: &mut String) {
        if let Some(c) = self.credit {
            let _ = match self.credit_url {
                Some(u) => write!(out, "<a href=\"{}\">{}</a>", esc(u), esc(c)),
                None => write!(out, "{}", esc(c)),
            };
        }
    }
}

/// A caption's HTML without the `<p>` around a single paragraph.
pub(crate) fn strip_p(h: &str) -> &str {
    let t = h.trim();
    match t.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner,
        _ => t,
    }
}

/// One media item of front matter, to show on its page.
pub(crate) struct Item<'a> {
    pub(crate) kind: Kind,
    /// The remote address, for a remote video or audio file.
    pub(crate) remote: Option<&'a str>,
    /// The local file, made.
    pub(crate) made: Option<&'a Made>,
    pub(crate) alt: &'a str,
    pub(crate) title: Option<&'a str>,
    /// The poster of a video, made.
    pub(crate) poster: Option<&'a Processed>,
    pub(crate) caption: Caption<'a>,
}

/// A media item as a `<figure>` on its page; `lazy` unless it is at the top of the page.
pub(crate) fn figure(item: &Item, base: &str, lazy: bool) -> String {
    let body = match (item.kind, item.remote, item.made) {
        (_, Some(url), _) => facade(item, url, base),
        (Kind::Image, None, Some(Made::Image(p))) => picture(p, base, item.alt, PROSE_SIZES, lazy),
        (Kind::Video, None, Some(Made::Copied(rel))) => {
            let poster = item
                .poster
                .map(|p| routes::rooted_url(base, &p.largest().fallback));
            native("video", rel, base, item.title, poster.as_deref())
        }
        (Kind::Audio, None, Some(Made::Copied(rel))) => {
            native("audio", rel, base, item.title, None)
        }
        _ => return String::new(),
    };
    let kind = match item.kind {
        Kind::Image => "image",
        Kind::Video => "video",
        Kind::Audio => "audio",
    };
    let mut out = format!("<figure class=\"media media-{kind}\">{body}");
    item.caption.write(&mut out);
    out.push_str("</figure>");
    out
}

/// A local file in the browser's own player (`tag` is `video` or `audio`), loaded only
/// when played, with a link to the file for a browser that cannot play it.
fn native(tag: &str, rel: &str, base: &str, title: Option<&str>, poster: Option<&str>) -> String {
    let url = esc(&routes::rooted_url(base, rel));
    let mut attrs = String::new();
    if let Some(p) = poster {
        let _ = write!(attrs, " poster=\"{}\"", esc(p));
    }
    if let Some(t) = title {
        let _ = write!(attrs, " aria-label=\"{}\"", esc(t));
    }
    let what = if tag == "video" {
        "the video"
    } else {
        "the recording"
    };
    format!(
        "<{tag} controls preload=\"none\"{attrs}><source src=\"{url}\" type=\"{}\"><a href=\"{url}\">Download {what}</a></{tag}>",
        Kind::mime(rel)
    )
}

/// The host of an `https://` address, without `www.`.
pub(crate) fn provider(url: &str) -> &str {
    let rest = url.strip_prefix("https://").unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.strip_prefix("www.").unwrap_or(host)
}

/// A remote video's facade: a link out with the poster, the title and the provider. It
/// loads nothing from the provider; the reader's click follows the link.
fn facade(item: &Item, url: &str, base: &str) -> String {
    let poster = item
        .poster
        .map(|p| picture(p, base, "", PROSE_SIZES, true))
        .unwrap_or_default();
    let title = item.title.unwrap_or(item.alt);
    let title = if title.is_empty() {
        "Watch the video"
    } else {
        title
    };
    let what = if item.kind == Kind::Audio {
        "Listen"
    } else {
        "Watch"
    };
    format!(
        "<a class=\"facade{}\" href=\"{}\" rel=\"noopener noreferrer\">{poster}<span class=\"facade-play\" aria-hidden=\"true\"></span><span class=\"facade-text\"><strong>{}</strong> <span>{what} on {} (opens the provider’s site)</span></span></a>",
        if item.poster.is_some() { " has-poster" } else { "" },
        esc(url),
        esc(title),
        esc(provider(url)),
    )
}

/// An image of a Markdown body: a `<picture>` (lazy: a body never opens a page).
pub(crate) fn body_image(p: &Processed, base: &str, alt: &str) -> String {
    picture(p, base, alt, PROSE_SIZES, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn processed() -> Processed {
        let size = |w: u32, h: u32| super::super::Size {
            width: w,
            height: h,
            webp: format!("media/img/k-{w}.webp"),
            fallback: format!("media/img/k-{w}.jpg"),
        };
        Processed {
            sizes: vec![size(480, 320), size(800, 533), size(900, 600)],
            fallback_type: "image/jpeg".into(),
            files: Vec::new(),
        }
    }

    #[test]
    fn a_picture_has_both_encodings_sizes_and_dimensions() {
        let html = picture(
            &processed(),
            "/repo/",
            "Cranes \"at\" dusk",
            CARD_SIZES,
            true,
        );
        assert_eq!(
            html,
            "<picture><source type=\"image/webp\" srcset=\"/repo/media/img/k-480.webp 480w, /repo/media/img/k-800.webp 800w, /repo/media/img/k-900.webp 900w\" sizes=\"(min-width: 42rem) 12rem, calc(100vw - 2rem)\"><img src=\"/repo/media/img/k-800.jpg\" srcset=\"/repo/media/img/k-480.jpg 480w, /repo/media/img/k-800.jpg 800w, /repo/media/img/k-900.jpg 900w\" sizes=\"(min-width: 42rem) 12rem, calc(100vw - 2rem)\" width=\"900\" height=\"600\" alt=\"Cranes &quot;at&quot; dusk\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
        let first = picture(&processed(), "/", "x", PROSE_SIZES, false);
        assert!(!first.contains("loading="), "{first}");
    }

    #[test]
    fn a_remote_video_is_a_link_out_that_loads_nothing() {
        let item = Item {
            kind: Kind::Video,
            remote: Some("https://www.example.org/watch?v=1&t=2"),
            made: None,
            alt: "",
            title: Some("The visit"),
            poster: None,
            caption: Caption {
                title: None,
                html: Some("<p>Hanoi, 2019 <a href=\"/s/#A\">A</a></p>\n"),
                credit: Some("Archive"),
                credit_url: None,
            },
        };
        let html = figure(&item, "/", true);
        assert_eq!(
            html,
            "<figure class=\"media media-video\"><a class=\"facade\" href=\"https://www.example.org/watch?v=1&amp;t=2\" rel=\"noopener noreferrer\"><span class=\"facade-play\" aria-hidden=\"true\"></span><span class=\"facade-text\"><strong>The visit</strong> <span>Watch on example.org (opens the provider’s site)</span></span></a><figcaption>Hanoi, 2019 <a href=\"/s/#A\">A</a> <span class=\"credit\">Archive</span></figcaption></figure>"
        );
        for tag in ["<iframe", "<script", "<img", "<video"] {
            assert!(!html.contains(tag), "{html}");
        }
        assert_eq!(provider("https://user@www.x.org:8/a"), "x.org:8");
    }
}
