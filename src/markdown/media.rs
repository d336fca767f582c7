//! Media in Markdown: an image of `content/media/`, written `![alt](@/media/name.jpg)`,
//! becomes a `<picture>` with its sizes; one that opens a paragraph becomes a `<figure>`,
//! the rest of the paragraph (after a line break) its caption and the image's title its
//! credit:
//!
//! ```md
//! ![Cranes over the harbour at dusk](@/media/harbour.jpg "Harbour Board archive")
//! The harbour in 1965 [@A].
//! ```
//!
//! Also the `[[media]]` of front matter ([`front`]): each item's `<figure>` for its page,
//! and the first image as the card's picture and `timeline.json`'s media.

use super::{Rendered, Renderer};
use crate::content::{Media as Item, MediaSrc, Source};
use crate::diag::Sink;
use crate::media::html::{self, Caption};
use crate::media::{Kind, Made, Media};
use pulldown_cmark::{CowStr, Event, TagEnd};
use std::ops::Range;

/// The address prefix of a file of `content/media/` in Markdown.
pub(crate) const PREFIX: &str = "@/media/";

/// A figure being written: its credit, and whether its caption has begun.
pub(super) struct OpenFigure {
    credit: String,
    caption: bool,
}

impl<'s> Renderer<'s, '_> {
    /// An image `![alt](@/media/name "title")`: its alt text is read up to the image's end.
    pub(super) fn media_image(
        &mut self,
        dest: CowStr<'s>,
        title: CowStr<'s>,
        range: Range<usize>,
        iter: &mut impl super::Events<'s>,
    ) {
        let mut alt = String::new();
        let mut depth = 0;
        for (ev, _) in iter.by_ref() {
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
        }
        let name = &dest[PREFIX.len()..];
        let picture = self.media_picture(name, alt.trim(), &range);
        let opens = self.para.is_some_and(|p| p + 1 == self.events.len());
        if opens && !self.opts.front_matter {
            let at = self.events.len() - 1;
            self.events[at] = Event::Html(CowStr::from("<figure class=\"media media-image\">"));
            self.figure = Some(OpenFigure {
                credit: if title.is_empty() {
                    String::new()
                } else {
                    let mut c = String::from(" <span class=\"credit\">");
                    crate::text::escape_html(&title, &mut c);
                    c.push_str("</span>");
                    c
                },
                caption: false,
            });
        }
        self.events.push(Event::Html(CowStr::from(picture)));
    }

    /// The `<picture>` of the image `name` (nothing when it is refused: its problem is
    /// reported at `range`).
    fn media_picture(&mut self, name: &str, alt: &str, range: &Range<usize>) -> String {
        if !self.out.media.iter().any(|n| n == name) {
            self.out.media.push(name.to_string());
        }
        if Kind::of(name) != Some(Kind::Image) {
            self.diags.push(self.src.diag(range.clone(), format!("`{PREFIX}{name}` is not an image: video and audio are shown through [[media]] in front matter")));
            return String::new();
        }
        if alt.is_empty() {
            self.diags.push(
                self.src
                    .diag(range.clone(), format!("image `{name}` has no alt text"))
                    .with_hint("write what the image shows between the brackets: ![Cranes over the harbour](@/media/harbour.jpg)"),
            );
        }
        let Some(media) = self.r.media else {
            let mut o = String::new();
            let url = crate::routes::rooted_url(self.r.base_path, &crate::routes::media_copy(name));
            crate::text::escape_html(&url, &mut o);
            let mut a = String::new();
            crate::text::escape_html(alt, &mut a);
            return format!("<img src=\"{o}\" alt=\"{a}\" loading=\"lazy\">");
        };
        match media.get(name) {
            Ok(Made::Image(p)) => html::body_image(&p, self.r.base_path, alt),
            Ok(Made::Copied(_)) => String::new(),
            Err(msg) => {
                self.diags.push(self.src.diag(range.clone(), msg));
                String::new()
            }
        }
    }

    /// A line break in a figure's paragraph: the caption begins (the break itself is
    /// dropped); `false` when no figure is open.
    pub(super) fn figure_break(&mut self) -> bool {
        let Some(f) = &mut self.figure else {
            return false;
        };
        if f.caption {
            self.out.text.push(' ');
            self.events.push(Event::SoftBreak);
        } else {
            f.caption = true;
            self.events.push(Event::Html(CowStr::from("<figcaption>")));
        }
        true
    }

    /// The end of a figure's paragraph: its credit and end; `false` when no figure is open.
    pub(super) fn figure_end(&mut self) -> bool {
        let Some(f) = self.figure.take() else {
            return false;
        };
        self.out.text.push('\n');
        let end = match (f.caption, f.credit.is_empty()) {
            (true, _) => format!("{}</figcaption></figure>\n", f.credit),
            (false, false) => format!(
                "<figcaption>{}</figcaption></figure>\n",
                f.credit.trim_start()
            ),
            (false, true) => "</figure>\n".to_string(),
        };
        self.events.push(Event::Html(CowStr::from(end)));
        true
    }
}

/// The `[[media]]` of an event or a chapter, made for its pages.
#[derive(Debug, Clone, Default)]
pub struct FrontMedia {
    /// Every item's `<figure>`, for its page.
    pub page: String,
    /// The first image's `<picture>`, for the event's card.
    pub card: Option<String>,
    /// The first image, for `timeline.json`.
    pub timeline: Option<Box<TimelineMedia>>,
    /// The captions as rendered, in order.
    pub captions: Vec<Rendered>,
}

/// An event's image as TimelineJS3's `media` takes it: output paths, and HTML.
#[derive(Debug, Clone)]
pub struct TimelineMedia {
    pub url: String,
    pub thumbnail: String,
    pub caption: String,
    pub credit: String,
}

/// What [`front`] needs from the Markdown stage.
pub(crate) struct FrontCtx<'a> {
    pub(crate) media: Option<&'a Media>,
    pub(crate) base: &'a str,
    pub(crate) sink: &'a Sink,
}

impl<'a> FrontCtx<'a> {
    pub(crate) fn new(media: Option<&'a Media>, base: &'a str, sink: &'a Sink) -> Self {
        FrontCtx { media, base, sink }
    }
}

/// The `[[media]]` items `items` made: each file asked of the media stage (its problems,
/// at the item's `src`, go to the sink), each caption rendered by `caption`.
pub(crate) fn front(
    items: &[Item],
    cx: &FrontCtx,
    caption: impl Fn(&Source) -> Rendered,
) -> FrontMedia {
    let mut out = FrontMedia::default();
    for (i, item) in items.iter().enumerate() {
        let get = |name: &str, at: &crate::diag::Span| -> Option<Made> {
            let m = cx.media?;
            m.get(name).map_err(|msg| cx.sink.push(at.diag(msg))).ok()
        };
        let made = match &item.src {
            MediaSrc::Local(name) => get(name, &item.at),
            MediaSrc::Remote(_) => None,
        };
        let poster = item.poster.as_ref().and_then(|(n, at)| match get(n, at)? {
            Made::Image(p) => Some(p),
            Made::Copied(_) => None,
        });
        let rendered = item.caption.as_ref().map(&caption);
        let credit = item.credit.as_deref();
        let local_av = matches!(item.src, MediaSrc::Local(_)) && item.kind != Kind::Image;
        let cap = Caption {
            title: item.title.as_deref().filter(|_| local_av),
            html: rendered.as_ref().map(|r| r.html.as_str()),
            credit,
            credit_url: item.credit_url.as_deref(),
        };
        let remote = match &item.src {
            MediaSrc::Remote(u) => Some(u.as_str()),
            MediaSrc::Local(_) => None,
        };
        let shown = html::Item {
            kind: item.kind,
            remote,
            made: made.as_ref(),
            alt: &item.alt,
            title: item.title.as_deref(),
            poster: poster.as_deref(),
            caption: cap,
        };
        out.page.push_str(&html::figure(&shown, cx.base, i > 0));
        if let (None, Some(Made::Image(p))) = (&out.card, &made) {
            out.card = Some(html::picture(p, cx.base, &item.alt, html::CARD_SIZES, true));
            let mut credit_html = String::new();
            shown.caption.credit_html(&mut credit_html);
            out.timeline = Some(Box::new(TimelineMedia {
                url: p.sizes[p.sizes.len().saturating_sub(2)].fallback.clone(),
                thumbnail: p.sizes[0].fallback.clone(),
                caption: rendered
                    .as_ref()
                    .map(|r| html::strip_p(&r.html).to_string())
                    .unwrap_or_default(),
                credit: credit_html,
            }));
        }
        out.captions.extend(rendered);
    }
    out
}
