//! The `[[media]]` tables of an event's or a chapter's front matter, read into
//! [`Media`]: `src` (a file of `content/media/`, or an `https://` address for video and
//! audio), `alt` (required for images), `caption` (Markdown), `credit`, `credit_url`,
//! and for video `title` and `poster` (an image of `content/media/`). Each bad field is an
//! error at its place; the file itself is read by the media stage ([`crate::media`]),
//! which reports a missing or broken file at `src`.

use super::doc::Doc;
use super::schema::RawMedia;
use super::{Media, MediaSrc};
use crate::diag::{Diagnostics, Span};
use crate::media::{bad_name, Kind};
use toml::Spanned;

/// The media of the front matter of `doc`; a table with any problem is left out.
pub(super) fn media(doc: &Doc, raw: Vec<Spanned<RawMedia>>, diags: &mut Diagnostics) -> Vec<Media> {
    raw.into_iter().filter_map(|m| one(doc, m, diags)).collect()
}

fn one(doc: &Doc, raw: Spanned<RawMedia>, diags: &mut Diagnostics) -> Option<Media> {
    let table = raw.span();
    let m = raw.into_inner();
    let before = diags.len();
    let at = |span: std::ops::Range<usize>| Span {
        path: doc.path.clone(),
        file: doc.text.clone(),
        range: doc.fm.start + span.start..doc.fm.start + span.end,
    };
    let src_text = m.src.get_ref().trim().to_string();
    let src = if src_text.contains("://") || src_text.starts_with("//") {
        if !src_text.starts_with("https://") || src_text.len() <= "https://".len() {
            diags.push(
                doc.fm_at(m.src.span(), format!("media address `{src_text}` is not an https:// URL"))
                    .with_hint("a remote video or recording is an https:// address; images are files of content/media/"),
            );
        }
        MediaSrc::Remote(src_text.clone())
    } else {
        if let Some(why) = bad_name(&src_text) {
            diags.push(
                doc.fm_at(m.src.span(), format!("media name `{src_text}` {why}"))
                    .with_hint("`src` names a file of content/media/, such as \"harbour.jpg\""),
            );
        }
        MediaSrc::Local(src_text.clone())
    };
    let kind = Kind::of(&src_text);
    match (kind, &src) {
        (None, _) => diags.push(doc.fm_at(
            m.src.span(),
            format!("media `{src_text}` is of no known kind"),
        ).with_hint("images are .jpg, .png, .webp or .gif; video .mp4, .webm or .ogv; audio .mp3, .ogg, .m4a, .wav or .flac")),
        (Some(Kind::Image), MediaSrc::Remote(_)) => diags.push(
            doc.fm_at(m.src.span(), "a remote image is not allowed: images are processed at build time")
                .with_hint("put the file in content/media/ and name it: src = \"harbour.jpg\""),
        ),
        _ => {}
    }
    let alt = m.alt.as_ref().map(|a| a.get_ref().trim().to_string());
    if kind == Some(Kind::Image) && alt.as_deref().is_none_or(str::is_empty) {
        let span = m.alt.as_ref().map_or(table.clone(), Spanned::span);
        diags.push(
            doc.fm_at(span, format!("image `{src_text}` has no `alt` text"))
                .with_hint("alt = \"what the image shows, for readers who cannot see it\""),
        );
    }
    if let Some(u) = &m.credit_url {
        let ok = ["https://", "http://"]
            .iter()
            .any(|s| u.get_ref().starts_with(s));
        if !ok {
            diags.push(doc.fm_at(u.span(), "`credit_url` must be an http(s):// address"));
        }
    }
    let poster = m.poster.as_ref().map(|p| {
        let name = p.get_ref().trim();
        if bad_name(name).is_some() || Kind::of(name) != Some(Kind::Image) {
            diags.push(doc.fm_at(
                p.span(),
                format!("poster `{name}` is not an image of content/media/"),
            ));
        }
        (name.to_string(), at(p.span()))
    });
    if diags.len() != before {
        return None;
    }
    Some(Media {
        kind: kind?,
        src,
        at: at(m.src.span()),
        alt: alt.unwrap_or_default(),
        caption: m.caption.as_ref().map(|c| doc.string_source(c)),
        credit: m.credit.map(Spanned::into_inner),
        credit_url: m.credit_url.map(Spanned::into_inner),
        title: m.title,
        poster,
    })
}
