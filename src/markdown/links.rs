//! Links and images: the address's scheme is checked (http, https and mailto only; no
//! protocol-relative address), internal `@/page.md#anchor` links become the page's URL,
//! `/`-rooted ones get the base path, and each is kept in [`super::Rendered`] for the
//! checks that run once every page is rendered.

use super::{CheckedLink, Renderer};
use crate::diag::did_you_mean;
use crate::routes;
use crate::text::{is_protocol_relative, url_scheme, ALLOWED_SCHEMES};
use pulldown_cmark::{CowStr, Event, LinkType, Tag};
use std::ops::Range;

impl<'s> Renderer<'s, '_> {
    /// A link or an image: written to its resolved address (`#` if refused). A link is
    /// written as an inline link.
    pub(super) fn link(&mut self, tag: Tag<'s>, range: Range<usize>) {
        let tag = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                // An email autolink `<a@b.c>` keeps its type, which writes `mailto:`;
                // every other kind is written as an inline link to its resolved address.
                link_type: match link_type {
                    LinkType::Email => LinkType::Email,
                    _ => LinkType::Inline,
                },
                dest_url: self.destination(dest_url, "link", &range),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: self.destination(dest_url, "image", &range),
                title,
                id,
            },
            other => other,
        };
        self.events.push(Event::Start(tag));
    }

    /// The address to write for `dest`: resolved, or `#` if its scheme is refused.
    fn destination(&mut self, dest: CowStr<'s>, what: &str, range: &Range<usize>) -> CowStr<'s> {
        if self.scheme_allowed(&dest, what, range) {
            self.resolve(&dest, range)
        } else {
            CowStr::from("#")
        }
    }

    /// Refuses a link or image address with a scheme other than http, https and mailto.
    fn scheme_allowed(&mut self, dest: &str, what: &str, range: &Range<usize>) -> bool {
        if is_protocol_relative(dest) {
            self.diags.push(
                self.src
                    .diag(
                        range.clone(),
                        format!(
                            "{what} address `{}` is protocol-relative: it names another host",
                            dest.escape_debug()
                        ),
                    )
                    .with_hint(
                        "write the scheme: https://…; links within the site start with a single /",
                    ),
            );
            return false;
        }
        let Some(scheme) = url_scheme(dest) else {
            return true;
        };
        if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
            return true;
        }
        self.diags.push(
            self.src
                .diag(
                    range.clone(),
                    format!(
                        "{what} address `{}` uses the scheme `{scheme}:`, which is not allowed",
                        dest.escape_debug()
                    ),
                )
                .with_hint(
                    "use https://, http:// or mailto: addresses, paths, #anchors or @/ links",
                ),
        );
        false
    }

    /// Resolves a link destination: `@/path.md#a` to its page, `/x` under the base path.
    fn resolve(&mut self, dest: &CowStr<'s>, range: &Range<usize>) -> CowStr<'s> {
        if let Some(rest) = dest.strip_prefix("@/") {
            self.internal(dest, rest, range)
        } else if dest.starts_with('/') && !dest.starts_with("//") {
            let (path, anchor) = dest[1..].split_once('#').unwrap_or((&dest[1..], ""));
            let path = path.split('?').next().unwrap_or_default();
            self.out.rooted.push(CheckedLink {
                target: path.to_string(),
                anchor: anchor.to_string(),
                dest: dest.to_string(),
                at: self.src.span(range.clone()),
            });
            CowStr::from(routes::rooted_url(self.r.base_path, &dest[1..]))
        } else {
            if dest.starts_with("http://") || dest.starts_with("https://") {
                self.out.external.push(CheckedLink {
                    target: dest.to_string(),
                    anchor: String::new(),
                    dest: dest.to_string(),
                    at: self.src.span(range.clone()),
                });
            }
            dest.clone()
        }
    }

    /// An internal link `@/path.md#a` (`rest` is what follows `@/`): the page's URL, its
    /// `#anchor` kept to be checked once every page is rendered. A missing page is an error.
    fn internal(&mut self, dest: &CowStr<'s>, rest: &str, range: &Range<usize>) -> CowStr<'s> {
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        let Some(url) = self.r.pages.get(path) else {
            let d = self.src.diag(
                range.clone(),
                format!("broken internal link: `@/{path}` does not exist"),
            );
            self.diags.push(match did_you_mean(path, self.r.pages.keys().map(|s| s.as_str())) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("internal links name a file under content/, as @/events/<id>.md or @/chapters/<slug>.md"),
            });
            return dest.clone();
        };
        if !self.out.links_to.iter().any(|p| p == path) {
            self.out.links_to.push(path.to_string());
        }
        match anchor {
            Some(a) => {
                self.out.links.push(CheckedLink {
                    target: path.to_string(),
                    anchor: a.to_string(),
                    dest: dest.to_string(),
                    at: self.src.span(range.clone()),
                });
                CowStr::from(routes::with_anchor(url, a))
            }
            None => CowStr::from(url.clone()),
        }
    }
}
