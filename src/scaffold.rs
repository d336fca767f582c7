//! `new`: writes a new event or chapter with valid front matter, ready to fill in.
//!
//! `new event <slug> --date YYYY[-MM[-DD]]` writes `content/events/<slug>.md`; `new chapter
//! <slug>` writes `content/chapters/<slug>.md` with the next free `order`. Neither ever
//! overwrites a file; both check the slug and the date with the same rules as the build,
//! so what they write builds as it is (an event names the first chapter and the first
//! source of the site, to be replaced).
//!
//! The files `new` reads (the chapters, for the next `order`; `content/sources.toml`, for
//! the first source) are read through the build's [`Fence`]: a symlink leading out of
//! `content/`, a named pipe or a device is an error naming it, and nothing is waited on. The
//! folder written into must lie inside `content/` too.

use crate::date::Date;
use crate::diag::Diagnostics;
use crate::files::{files_under, Fence};
use crate::text::is_slug;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to create.
#[derive(Debug, Clone)]
pub enum NewPage {
    Event { slug: String, date: String },
    Chapter { slug: String },
}

/// Writes the file and returns its path (relative to `root`).
pub fn create(root: &Path, page: &NewPage) -> Result<PathBuf> {
    let (slug, dir) = match page {
        NewPage::Event { slug, .. } => (slug, "content/events"),
        NewPage::Chapter { slug } => (slug, "content/chapters"),
    };
    if !is_slug(slug) {
        bail!(
            "`{slug}` cannot be a file name here: use lowercase letters, digits, `-` and `_` (for example 1957-ho-visit)"
        );
    }
    if !root.join("site.toml").is_file() {
        bail!(
            "{} has no site.toml: run `new` in the site's folder or pass --root",
            root.display()
        );
    }
    let rel = PathBuf::from(dir).join(format!("{slug}.md"));
    let text = match page {
        NewPage::Event { date, .. } => event(root, slug, date)?,
        NewPage::Chapter { slug } => chapter(root, slug)?,
    };
    let path = root.join(&rel);
    std::fs::create_dir_all(root.join(dir)).with_context(|| format!("cannot create {dir}"))?;
    // The folder may be a symlink: what is written must land inside content/.
    Fence::new(root, "content")
        .resolve(Path::new(dir))
        .map_err(|d| refused(Diagnostics(vec![d])))?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} already exists; nothing was written", rel.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", rel.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", rel.display()))?;
    Ok(rel)
}

fn event(root: &Path, slug: &str, date: &str) -> Result<String> {
    Date::parse(date).map_err(|e| anyhow::anyhow!("--date {date}: {}", e.message))?;
    let chapter = first_chapter(root)?.unwrap_or_default();
    let source = first_source(root)?.unwrap_or_default();
    let title = slug.replace(['-', '_'], " ");
    Ok(format!(
        "+++\n\
         title = \"{title}\"\n\
         date = \"{date}\"\n\
         # display_date = \"early 1960s\"   # when the date is vague\n\
         # end_date = \"\"                  # for a span\n\
         summary = \"One or two sentences: what happened.\"\n\
         countries = []\n\
         people = []\n\
         places = []\n\
         tags = []\n\
         chapter = \"{chapter}\"\n\
         sources = [\"{source}\"]\n\
         # disputed = \"Where sources disagree, name them and what each says.\"\n\
         +++\n\n\
         The longer account, in your own words, citing its sources [@{source}].\n"
    ))
}

fn chapter(root: &Path, slug: &str) -> Result<String> {
    let next = next_order(root)?;
    let source = first_source(root)?.unwrap_or_default();
    let title = slug.replace(['-', '_'], " ");
    Ok(format!(
        "+++\n\
         title = \"{title}\"\n\
         order = {next}\n\
         summary = \"A sentence or two on what this chapter tells.\"\n\
         years = [1950, 2019]\n\
         draft = true   # shown by `serve` and `build --drafts` until you remove it\n\
         # Cite sources as [@id] or [@id; @other]; link an event as [text](@/events/<id>.md).\n\
         +++\n\n\
         ## A first section\n\n\
         Write here, citing every fact [@{source}].\n"
    ))
}

/// The alphabetically first chapter slug (a `*.md` file name under `content/chapters`,
/// without `.md`), found by the build's walk: a link out of `content/` or a named pipe
/// there is an error.
fn first_chapter(root: &Path) -> Result<Option<String>> {
    let mut diags = Diagnostics::default();
    let mut names: Vec<String> = files_under(root, "content/chapters", &mut diags)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    if !diags.is_empty() {
        diags.sort();
        return Err(refused(diags));
    }
    names.sort();
    Ok(names.into_iter().next())
}

/// One more than the largest `order = N` of the chapters in `content/chapters` (read
/// through the fence: any file that cannot be read is an error).
fn next_order(root: &Path) -> Result<i64> {
    let mut diags = Diagnostics::default();
    let fence = Fence::new(root, "content");
    let mut max = None;
    for path in files_under(root, "content/chapters", &mut diags) {
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        match fence.read_text(&crate::files::rel(root, &path)) {
            Ok(text) => {
                let order = text.lines().find_map(|l| {
                    let v = l.trim().strip_prefix("order")?.trim().strip_prefix('=')?;
                    v.trim().parse::<i64>().ok()
                });
                max = max.max(order);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(refused(diags));
    }
    Ok(max.map_or(1, |m| m + 1))
}

/// The first `id` of `content/sources.toml`, if it has one (read through the fence).
fn first_source(root: &Path) -> Result<Option<String>> {
    let rel = Path::new("content/sources.toml");
    if root.join(rel).symlink_metadata().is_err() {
        return Ok(None);
    }
    let text = Fence::new(root, "content")
        .read_text(rel)
        .map_err(|d| refused(Diagnostics(vec![d])))?;
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Ok(None);
    };
    Ok(doc
        .get("source")
        .and_then(|s| s.as_array()?.first()?.get("id")?.as_str())
        .map(str::to_string))
}

/// The problems as an error for `main`, which prints `error: ` before it (the first
/// diagnostic's own is dropped).
fn refused(diags: Diagnostics) -> anyhow::Error {
    let text = diags.to_string();
    anyhow::anyhow!("{}", text.strip_prefix("error: ").unwrap_or(&text))
}
