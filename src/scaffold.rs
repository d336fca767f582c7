//! `new`: writes a new event or chapter as a draft with valid front matter, ready to fill in.
//!
//! `new event <slug> --date YYYY[-MM[-DD]]` writes `content/events/<slug>.md`; `new chapter
//! <slug>` writes `content/chapters/<slug>.md` with the next free `order`. Both write
//! `draft = true` and a title made from the slug (`1930-new-lens` → "New lens"). Neither
//! ever overwrites a file; both check the slug and the date with the same rules as the
//! build, so what they write builds as it is: an event names the site's first chapter by
//! `order` and its first source, and is refused, with what to do, while the site has no
//! chapter or no source; a chapter's `years` span the site's eras (else its events, else a
//! placeholder year to set). The scaffolds' words are neutral: nothing of one documentary.
//!
//! The files `new` reads (the chapters' and events' front matter, `content/sources.toml`)
//! are read through the build's [`Fence`]: a symlink leading out of `content/`, a named
//! pipe or a device is an error naming it, and nothing is waited on. A chapter or event
//! whose front matter does not parse is skipped (the build reports it). The file is
//! written by [`crate::files::write_new_file`], which follows no symlink on its way.

use crate::date::Date;
use crate::diag::Diagnostics;
use crate::files::{files_under, Fence, Written};
use crate::text::{is_slug, toml_string};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// What to create.
#[derive(Debug, Clone)]
pub enum NewPage {
    Event { slug: String, date: String },
    Chapter { slug: String },
}

/// Writes the file and returns its path (relative to `root`).
pub fn create(root: &Path, page: &NewPage) -> Result<PathBuf> {
    let (slug, dir, example) = match page {
        NewPage::Event { slug, .. } => (slug, "content/events", "my-event"),
        NewPage::Chapter { slug } => (slug, "content/chapters", "first-chapter"),
    };
    if !is_slug(slug) {
        bail!(
            "`{slug}` cannot be a file name here: use lowercase letters, digits, `-` and `_` (for example {example})"
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
    match crate::files::write_new_file(root, &rel, text.as_bytes())? {
        Written::New => {}
        Written::Kept(why) if why == crate::files::EXISTS => {
            bail!("{} already exists; nothing was written", rel.display())
        }
        Written::Kept(why) => bail!("{} was not written: {why}", rel.display()),
    }
    Ok(rel)
}

fn event(root: &Path, slug: &str, date: &str) -> Result<String> {
    Date::parse(date).map_err(|e| anyhow::anyhow!("--date {date}: {}", e.message))?;
    let chapter = chapters(root)?.into_iter().next().map(|(_, slug)| slug);
    let source = first_source(root)?;
    let (Some(chapter), Some(source)) = (chapter.as_ref(), source.as_ref()) else {
        return Err(missing(chapter.is_none(), source.is_none()));
    };
    let title = title_of(slug);
    let terms = taxonomy_keys(root);
    // The ids come from the site's files as their author wrote them: quoted, not pasted.
    let (source_value, chapter_value) = (toml_string(source), toml_string(chapter));
    Ok(format!(
        "+++\n\
         title = \"{title}\"\n\
         date = \"{date}\"\n\
         # display_date = \"late spring\"   # shown instead of the date when it is vague\n\
         # end_date = \"\"                  # for a span\n\
         summary = \"One or two sentences: what happened.\"\n\
         {terms}\
         chapter = {chapter_value}\n\
         sources = [{source_value}]\n\
         # disputed = \"Where sources disagree, name them and what each says.\"\n\
         draft = true   # shown by `serve` and `build --drafts` until you remove it\n\
         +++\n\n\
         The longer account, in your own words, citing its sources [@{source}].\n"
    ))
}

/// A `<name> = []` line for each of the site's taxonomies (the default set's when
/// `site.toml` cannot be read: the build reports that).
fn taxonomy_keys(root: &Path) -> String {
    let mut diags = Diagnostics::default();
    let config = crate::config::Config::load(root, None, &mut diags);
    let taxonomies = config.map_or_else(crate::taxonomy::defaults, |c| c.taxonomies);
    taxonomies
        .iter()
        .map(|t| format!("{} = []\n", t.name))
        .collect()
}

/// Why `new event` writes nothing: the site has no chapter, or no source, or neither; with
/// how to add each.
fn missing(chapter: bool, source: bool) -> anyhow::Error {
    let what = match (chapter, source) {
        (true, true) => "a chapter and a source, and this site has neither yet",
        (true, false) => "a chapter, and this site has none yet",
        _ => "a source, and this site has none yet",
    };
    let mut text = format!("nothing was written: an event needs {what}");
    if chapter {
        text.push_str(
            "\n- a chapter: write one first with `docsite new chapter <slug>` \
             (for example `docsite new chapter first-chapter`)",
        );
    }
    if source {
        text.push_str(
            "\n- a source: add one to content/sources.toml, for example:\n\n    \
             [[source]]\n    id = \"my-source\"\n    title = \"The work's title\"",
        );
    }
    anyhow::anyhow!(text)
}

fn chapter(root: &Path, slug: &str) -> Result<String> {
    let next = chapters(root)?.iter().map(|(order, _)| order + 1).max();
    let next = next.unwrap_or(1);
    let years = match years(root)? {
        Some((first, last)) => {
            // A year before 1 is a string with its era ("490 BCE"); see `chapter_year`.
            let year = |y: i32| match y {
                1.. => y.to_string(),
                _ => format!("\"{}\"", crate::date::year_text(y, false)),
            };
            let (first, last) = (year(first), year(last));
            format!("years = [{first}, {last}]   # the first and last year it covers")
        }
        None => "years = [2000, 2000]   # set these: the first and last year it covers".into(),
    };
    let cite = match first_source(root)? {
        Some(source) => format!("citing every fact [@{source}]"),
        None => "citing the source of every fact (see the comment above)".into(),
    };
    let title = title_of(slug);
    Ok(format!(
        "+++\n\
         title = \"{title}\"\n\
         order = {next}\n\
         summary = \"A sentence or two on what this chapter tells.\"\n\
         {years}\n\
         draft = true   # shown by `serve` and `build --drafts` until you remove it\n\
         # Cite sources as [@id] or [@id; @other]; link an event as [text](@/events/<id>.md).\n\
         +++\n\n\
         ## A first section\n\n\
         Write here, {cite}.\n"
    ))
}

/// A readable title from a slug: a leading date (`1930-`, `1930-07-`, `1930-07-04-`)
/// dropped, `-` and `_` as spaces, the first letter capitalised (`1930-new-lens` → "New
/// lens"). A slug that is only a date (or numbers) keeps them all.
pub(crate) fn title_of(slug: &str) -> String {
    let mut rest = slug;
    // A year with its era first ("490-bce-marathon"): the era goes with the date.
    if let Some((year, tail)) = rest.split_once(['-', '_']) {
        let era = tail.split_once(['-', '_']).filter(|(era, _)| {
            ["bce", "bc", "ce", "ad"].contains(era) && (1..=6).contains(&year.len())
        });
        if let (Some((_, after)), true) = (era, year.bytes().all(|b| b.is_ascii_digit())) {
            rest = after;
        }
    }
    for width in [4, 2, 2] {
        match rest.split_once(['-', '_']) {
            Some((head, tail))
                if head.len() == width
                    && head.bytes().all(|b| b.is_ascii_digit())
                    && tail.bytes().any(|b| b != b'-' && b != b'_') =>
            {
                rest = tail
            }
            _ => break,
        }
    }
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        rest = slug; // only a date: keep it all
    }
    let words: Vec<&str> = rest.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let words = words.join(" ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The chapters as `(order, slug)`, first by `order` (then by slug). A chapter whose file
/// name is not a slug or whose front matter gives no integer `order` is skipped.
fn chapters(root: &Path) -> Result<Vec<(i64, String)>> {
    let mut found: Vec<(i64, String)> = front_matters(root, "content/chapters")?
        .into_iter()
        .filter(|(slug, _)| is_slug(slug))
        .filter_map(|(slug, fm)| Some((fm.get("order")?.as_integer()?, slug)))
        .collect();
    found.sort();
    Ok(found)
}

/// The years a new chapter spans: from the first era's start to the last era's end in
/// site.toml, or, with no era, from the earliest to the latest date of the events (their
/// `date` and `end_date`); `None` when there is neither. No clock is read: what `new`
/// writes depends on the site alone.
fn years(root: &Path) -> Result<Option<(i32, i32)>> {
    let config = crate::config::Config::load(root, None, &mut Diagnostics::default());
    let eras = config.map(|c| c.eras).unwrap_or_default();
    let mut dates: Vec<Date> = eras.into_iter().flat_map(|e| [e.start, e.end]).collect();
    if dates.is_empty() {
        for (_, fm) in front_matters(root, "content/events")? {
            let strings = ["date", "end_date"].map(|k| fm.get(k).and_then(|v| v.as_str()));
            dates.extend(
                strings
                    .into_iter()
                    .flatten()
                    .filter_map(|s| Date::parse(s).ok()),
            );
        }
    }
    let years = dates.iter().map(|d| d.year);
    Ok(years.clone().min().zip(years.max()))
}

/// The Markdown files under `dir` whose front matter parses, as (file name without `.md`,
/// front matter). Every file is read through the fence: one that cannot be read is an
/// error, as in the build.
fn front_matters(root: &Path, dir: &str) -> Result<Vec<(String, toml::Table)>> {
    let mut diags = Diagnostics::default();
    let fence = Fence::new(root, "content");
    let mut found = Vec::new();
    for path in files_under(root, dir, &mut diags) {
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string);
        match fence.read_text(&crate::files::rel(root, &path)) {
            Ok(text) => found.extend(stem.zip(front_matter(&text))),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(refused(diags));
    }
    Ok(found)
}

/// The TOML between a file's first line `+++` and the next line `+++`, if it parses.
fn front_matter(text: &str) -> Option<toml::Table> {
    let mut lines = text.split_inclusive('\n');
    if lines.next()?.trim_end() != "+++" {
        return None;
    }
    let mut toml = String::new();
    for line in lines {
        if line.trim_end() == "+++" {
            return toml.parse().ok();
        }
        toml.push_str(line);
    }
    None
}

/// The first `id` of `content/sources.toml`, if it has one (read through the fence). A
/// file that is not valid TOML is refused: no source can be named from it.
fn first_source(root: &Path) -> Result<Option<String>> {
    let rel = Path::new("content/sources.toml");
    if root.join(rel).symlink_metadata().is_err() {
        return Ok(None);
    }
    let text = Fence::new(root, "content")
        .read_text(rel)
        .map_err(|d| refused(Diagnostics(vec![d])))?;
    let Ok(doc) = text.parse::<toml::Table>() else {
        bail!(
            "content/sources.toml is not valid TOML, so no source can be named from it \
             (`docsite check` shows where); nothing was written"
        );
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

#[cfg(test)]
mod tests {
    use super::title_of;

    #[test]
    fn a_title_drops_a_leading_date_and_reads_as_words() {
        for (slug, title) in [
            ("1930-new-lens", "New lens"),
            ("1930-07-new-lens", "New lens"),
            ("1930-07-04-new_lens", "New lens"),
            ("new--lens", "New lens"),
            ("12-angry-men", "12 angry men"),
            ("1930", "1930"),
            ("1930-07", "1930 07"),
            ("1930-1984", "1930 1984"),
            ("first-chapter", "First chapter"),
            ("490-bce-marathon", "Marathon"),
            ("44_bc_ides-of-march", "Ides of march"),
            ("490-bce", "490 bce"),
            ("12-bcex-men", "12 bcex men"),
        ] {
            assert_eq!(title_of(slug), title, "{slug}");
        }
    }
}
