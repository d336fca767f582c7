//! `init`: writes a neutral starter site into a folder, ready to build, serve and check.
//!
//! The starter lives in `src/init/starter/` as the files it writes (compiled in): a
//! commented `site.toml`, a home page, one chapter, three events (dated to the day, to the
//! month and approximately), a source, a person, a place, an about page and a
//! `.gitignore`. It has no `templates/` or `static/`: the built-in theme styles it. Its
//! words explain docsite, and carry nothing of any one documentary.
//!
//! `--title` and `--base-url` fill `site.toml` (and the home page's title); they are
//! checked before anything is written, so a refused value leaves the folder as it was.
//! A folder holding anything but dotfiles (a fresh clone's `.git` is fine) is refused
//! unless forced, and even then no file is ever overwritten: an existing file is kept and
//! listed, and nothing is written through a symlink or into a path taken by a file.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The starter's files: where each goes and what it holds. `{{title}}` and `{{base_url}}`
/// stand for TOML strings.
const STARTER: &[(&str, &str)] = &[
    ("site.toml", include_str!("starter/site.toml")),
    ("content/index.md", include_str!("starter/content/index.md")),
    (
        "content/chapters/first-chapter.md",
        include_str!("starter/content/chapters/first-chapter.md"),
    ),
    (
        "content/events/1890-05-14-founding.md",
        include_str!("starter/content/events/1890-05-14-founding.md"),
    ),
    (
        "content/events/1921-03-move.md",
        include_str!("starter/content/events/1921-03-move.md"),
    ),
    (
        "content/events/1930-approximate-event.md",
        include_str!("starter/content/events/1930-approximate-event.md"),
    ),
    (
        "content/sources.toml",
        include_str!("starter/content/sources.toml"),
    ),
    (
        "content/people.toml",
        include_str!("starter/content/people.toml"),
    ),
    (
        "content/places.toml",
        include_str!("starter/content/places.toml"),
    ),
    (
        "content/pages/about.md",
        include_str!("starter/content/pages/about.md"),
    ),
    (".gitignore", include_str!("starter/gitignore")),
];

/// The base URL written when none is given: a placeholder the comment beside it explains.
const PLACEHOLDER_BASE_URL: &str = "https://example.org/";

/// What `init` is asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to write into; made if missing.
    pub dir: PathBuf,
    /// The site's title (default: made from the folder's name).
    pub title: Option<String>,
    /// The site's base URL (default: a placeholder to replace before publishing).
    pub base_url: Option<String>,
    /// Write into a folder that is not empty, keeping every file already there.
    pub force: bool,
}

/// What `init` did, relative to the folder.
#[derive(Debug, Default)]
pub struct InitReport {
    /// The title written.
    pub title: String,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Starter files not written, each with why (it exists, or its folder is a symlink).
    pub kept: Vec<(PathBuf, &'static str)>,
}

/// Writes the starter site into `opts.dir`.
pub fn init(opts: &InitOptions) -> Result<InitReport> {
    let title = match &opts.title {
        Some(t) => checked_title(t)?,
        None => title_of_folder(&opts.dir),
    };
    let base_url = match &opts.base_url {
        Some(u) => crate::config::normalize_base_url(u)
            .map(|(url, _)| url)
            .map_err(|m| anyhow::anyhow!("--base-url {}: {m}", crate::clean(u)))?,
        None => PLACEHOLDER_BASE_URL.to_string(),
    };
    ready_folder(&opts.dir, opts.force)?;
    let mut report = InitReport {
        title: title.clone(),
        ..InitReport::default()
    };
    for (rel, text) in STARTER {
        let text = fill(text, &title, &base_url);
        let rel = PathBuf::from(rel);
        match write_new(&opts.dir, &rel, &text)? {
            None => report.written.push(rel),
            Some(why) => report.kept.push((rel, why)),
        }
    }
    Ok(report)
}

/// The starter text with its placeholders filled in.
fn fill(text: &str, title: &str, base_url: &str) -> String {
    text.replace("{{title}}", &toml_string(title))
        .replace("{{base_url}}", &toml_string(base_url))
}

/// `s` as a TOML basic string, quotes and escapes included.
fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A title as given, or why it cannot be one.
fn checked_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() {
        bail!("--title is empty: give the documentary's title, e.g. --title \"The harbour\"");
    }
    if t.chars().any(char::is_control) {
        bail!(
            "--title {}: a title cannot hold control characters (line breaks, tabs, escapes)",
            crate::clean(t)
        );
    }
    Ok(t.to_string())
}

/// A readable title from the folder's name (`my-documentary` → "My documentary"), or "My
/// documentary" when the name gives none.
fn title_of_folder(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let title = crate::scaffold::title_of(&name);
    if title.is_empty() || title.chars().any(char::is_control) {
        "My documentary".to_string()
    } else {
        title
    }
}

/// Makes `dir` if it is missing; refuses one that holds anything but dotfiles unless
/// `force`.
fn ready_folder(dir: &Path, force: bool) -> Result<()> {
    let shown = crate::clean(&dir.display().to_string()).into_owned();
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => bail!("{shown} exists and is not a folder"),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::create_dir_all(dir).with_context(|| format!("cannot create {shown}"))
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    }
    if force {
        return Ok(());
    }
    let mut present = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {shown}"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            present.push(name);
        }
    }
    if present.is_empty() {
        return Ok(());
    }
    present.sort();
    let more = present.len().saturating_sub(4);
    let mut listed: Vec<String> = present
        .into_iter()
        .take(4)
        .map(|n| crate::clean(&n).into_owned())
        .collect();
    if more > 0 {
        listed.push(format!("{more} more"));
    }
    bail!(
        "{shown} is not empty (it holds {}): nothing was written. Start in a new folder, \
         or add the starter beside what is there with `docsite init --force`, which never \
         overwrites a file",
        listed.join(", ")
    )
}

/// Writes `text` to `dir/rel` unless something is in the way: `Ok(None)` when written,
/// `Ok(Some(why))` when the path exists or a folder on the way is not a plain folder.
fn write_new(dir: &Path, rel: &Path, text: &str) -> Result<Option<&'static str>> {
    let mut at = dir.to_path_buf();
    let parents: Vec<Component> = rel
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    for part in parents {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Ok(Some("a folder on its path is a symlink"))
            }
            Ok(m) if !m.is_dir() => return Ok(Some("a file stands where its folder would")),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&at)
                .with_context(|| format!("cannot create {}", at.display()))?,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", at.display())),
        }
    }
    let path = dir.join(rel);
    // create_new never follows a symlink at the path itself, dangling or not.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(Some("it exists")),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_parses_with_any_title() {
        for title in [
            "My documentary",
            "Quotes \" and \\ and 'apostrophes'",
            "Đổi Mới à la 한국",
        ] {
            let text = fill(STARTER[0].1, title, PLACEHOLDER_BASE_URL);
            let mut diags = crate::diag::Diagnostics::default();
            let config =
                crate::config::Config::parse(Path::new("site.toml"), &text, None, &mut diags);
            assert_eq!(config.map(|c| c.title), Some(title.to_string()), "{diags}");
        }
    }

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(
            title_of_folder(Path::new("/x/my-documentary")),
            "My documentary"
        );
        assert_eq!(
            title_of_folder(Path::new("/x/harbour_history")),
            "Harbour history"
        );
        assert_eq!(title_of_folder(Path::new("/")), "My documentary");
    }

    #[test]
    fn bad_titles_are_refused() {
        assert!(checked_title("  ").is_err());
        assert!(checked_title("a\nb").is_err());
        assert_eq!(checked_title(" The harbour ").unwrap(), "The harbour");
    }
}
