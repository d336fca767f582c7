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
//! listed, and nothing is written through a symlink or into a path taken by a file
//! ([`crate::files::write_new_file`]). The starter's files cite each other (the events
//! name its chapter, source, person and place); a file is written only when every file it
//! needs is written too, so that adding the starter beside an existing site never leaves
//! it citing what that site lacks. Every file but `.gitignore` needs `site.toml`: a folder
//! that already has one keeps its own site, and gets only the `.gitignore` if it lacks one.
use crate::files::{write_new_file, Written};
use anyhow::{bail, Context, Result};
use std::fmt;
use std::path::{Path, PathBuf};

/// One file of the starter: where it goes, what it holds (`{{title}}` and `{{base_url}}`
/// stand for TOML strings), and the other starter files it cites or needs.
struct Starter {
    path: &'static str,
    text: &'static str,
    needs: &'static [&'static str],
}

const SITE: &str = "site.toml";
const SOURCES: &str = "content/sources.toml";
const PEOPLE: &str = "content/people.toml";
const PLACES: &str = "content/places.toml";
const CHAPTER: &str = "content/chapters/first-chapter.md";
const ABOUT: &str = "content/pages/about.md";
const FOUNDING: &str = "content/events/1890-05-14-founding.md";
const MOVE: &str = "content/events/1921-03-move.md";
const APPROXIMATE: &str = "content/events/1930-approximate-event.md";

/// The starter's files, in the order they are written and listed.
const STARTER: &[Starter] = &[
    Starter {
        path: SITE,
        text: include_str!("starter/site.toml"),
        needs: &[],
    },
    Starter {
        path: "content/index.md",
        text: include_str!("starter/content/index.md"),
        needs: &[SITE, SOURCES, CHAPTER, ABOUT],
    },
    Starter {
        path: CHAPTER,
        text: include_str!("starter/content/chapters/first-chapter.md"),
        needs: &[SITE, SOURCES, FOUNDING, MOVE, APPROXIMATE],
    },
    Starter {
        path: FOUNDING,
        text: include_str!("starter/content/events/1890-05-14-founding.md"),
        needs: &[SITE, SOURCES, CHAPTER, PEOPLE, PLACES],
    },
    Starter {
        path: MOVE,
        text: include_str!("starter/content/events/1921-03-move.md"),
        needs: &[SITE, SOURCES, CHAPTER, PLACES],
    },
    Starter {
        path: APPROXIMATE,
        text: include_str!("starter/content/events/1930-approximate-event.md"),
        needs: &[SITE, SOURCES, CHAPTER, PEOPLE],
    },
    Starter {
        path: SOURCES,
        text: include_str!("starter/content/sources.toml"),
        needs: &[SITE],
    },
    Starter {
        path: PEOPLE,
        text: include_str!("starter/content/people.toml"),
        needs: &[SITE, SOURCES],
    },
    Starter {
        path: PLACES,
        text: include_str!("starter/content/places.toml"),
        needs: &[SITE, SOURCES],
    },
    Starter {
        path: ABOUT,
        text: include_str!("starter/content/pages/about.md"),
        needs: &[SITE, SOURCES],
    },
    Starter {
        path: ".gitignore",
        text: include_str!("starter/gitignore"),
        needs: &[],
    },
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

/// What `init` did, relative to the folder. Its `Display` is what the command prints:
/// each file written or not, then what to do next.
#[derive(Debug, Default)]
pub struct InitReport {
    /// The folder, as the author named it.
    pub dir: PathBuf,
    /// The title written.
    pub title: String,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Starter files not written because the path was taken, each with why (it exists,
    /// or a folder on its way is a symlink).
    pub kept: Vec<(PathBuf, &'static str)>,
    /// Starter files not written because a file they need was kept, with that file.
    pub left_out: Vec<(PathBuf, PathBuf)>,
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
        dir: opts.dir.clone(),
        title: title.clone(),
        ..InitReport::default()
    };
    let taken: Vec<(&str, &'static str)> = STARTER
        .iter()
        .filter_map(|f| Some((f.path, crate::files::taken(&opts.dir, Path::new(f.path))?)))
        .collect();
    let blocked = blocked_by(&taken.iter().map(|(p, _)| *p).collect::<Vec<_>>());
    for file in STARTER {
        let rel = PathBuf::from(file.path);
        if let Some((_, why)) = taken.iter().find(|(p, _)| *p == file.path) {
            report.kept.push((rel, why));
        } else if let Some(need) = blocked.iter().find(|(p, _)| *p == file.path) {
            report.left_out.push((rel, PathBuf::from(need.1)));
        } else {
            let text = fill(file.text, &title, &base_url);
            match write_new_file(&opts.dir, &rel, text.as_bytes())? {
                Written::New => report.written.push(rel),
                Written::Kept(why) => report.kept.push((rel, why)),
            }
        }
    }
    Ok(report)
}

/// The starter files not to write when the files `taken` are kept, each with a taken file
/// it needs (directly or through another file left out).
fn blocked_by(taken: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    loop {
        let before = out.len();
        for file in STARTER {
            if taken.contains(&file.path) || out.iter().any(|(p, _)| *p == file.path) {
                continue;
            }
            let why = file.needs.iter().find_map(|need| {
                if taken.contains(need) {
                    Some(*need)
                } else {
                    out.iter().find(|(p, _)| p == need).map(|(_, why)| *why)
                }
            });
            if let Some(why) = why {
                out.push((file.path, why));
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// The starter text with its placeholders filled in, in one pass: a title that reads
/// `{{base_url}}` is written as it is.
fn fill(text: &str, title: &str, base_url: &str) -> String {
    let mut out = String::with_capacity(text.len() + title.len() + base_url.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(tail) = after.strip_prefix("{{title}}") {
            out.push_str(&crate::text::toml_string(title));
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("{{base_url}}") {
            out.push_str(&crate::text::toml_string(base_url));
            rest = tail;
        } else {
            out.push_str("{{");
            rest = &after[2..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether a title may hold `c`: not what `site.toml` refuses in any text
/// ([`crate::text::is_refused_char`]), nor a line break or tab (a title is one line).
fn refused_in_title(c: char) -> bool {
    crate::text::is_refused_char(c) || matches!(c, '\n' | '\r' | '\t')
}

/// A title as given, or why it cannot be one.
fn checked_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() {
        bail!("--title is empty: give the documentary's title, e.g. --title \"The harbour\"");
    }
    if let Some(c) = t.chars().find(|&c| refused_in_title(c)) {
        bail!(
            "--title {}: a title cannot hold U+{:04X} (no control characters, line breaks, \
             tabs or noncharacters)",
            t.chars()
                .map(|c| if refused_in_title(c) { '\u{fffd}' } else { c })
                .collect::<String>(),
            c as u32
        );
    }
    Ok(t.to_string())
}

/// A readable title from the folder's name (`my-documentary` → "My documentary"), or "My
/// documentary" when the name gives none.
fn title_of_folder(dir: &Path) -> String {
    // An existing folder by its real path: `..` has a name there.
    let name = (dir.canonicalize().or_else(|_| std::path::absolute(dir)))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let title = crate::scaffold::title_of(&name);
    if title.is_empty() || title.chars().any(refused_in_title) {
        "My documentary".to_string()
    } else {
        title
    }
}

/// Whether `dir` is the current folder as the author named it (`.` or nothing).
fn is_here(dir: &Path) -> bool {
    dir.as_os_str().is_empty() || dir == Path::new(".")
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
    let command = if is_here(dir) {
        "docsite init --force".to_string()
    } else {
        format!("docsite init --force {}", shell_word(&shown))
    };
    bail!(
        "{shown} is not empty (it holds {}): nothing was written. Start in a new folder, \
         or add the starter beside what is there with `{command}`, which never overwrites \
         a file",
        listed.join(", ")
    )
}

/// `s` as one word for a POSIX shell: as it is when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

impl InitReport {
    /// The first line of the summary: what was started or added, and where.
    fn headline(&self) -> String {
        // `..` or `a/.` would end a sentence in dots: the folder's real path reads better.
        let named = match self.dir.to_string_lossy().ends_with('.') {
            true => self.dir.canonicalize().unwrap_or_else(|_| self.dir.clone()),
            false => self.dir.clone(),
        };
        let dir = crate::clean(&named.display().to_string()).into_owned();
        let (in_dir, the_dir) = if is_here(&self.dir) {
            ("here".to_string(), "this folder".to_string())
        } else {
            (format!("in {dir}"), dir)
        };
        let site_kept = self.kept.iter().any(|(p, _)| p == Path::new(SITE));
        let holds_a_site = format!(
            "{the_dir} already has a site.toml, so it holds a site: the starter's content, \
             which cites a chapter, a source, a person and a place that site may not have, \
             was left out."
        );
        if self.written.is_empty() && site_kept && !self.left_out.is_empty() {
            format!("Nothing was written: {holds_a_site}")
        } else if self.written.is_empty() {
            format!("Nothing was written: {the_dir} already holds the starter's files.")
        } else if site_kept {
            let mut first = holds_a_site.chars();
            let upper: String = first
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            format!(
                "{upper}{} Only the files that need nothing else were added.",
                first.as_str()
            )
        } else if !self.kept.is_empty() || !self.left_out.is_empty() {
            format!(
                "Added the starter's files to {the_dir}, but for those already there and \
                 those that need them."
            )
        } else {
            format!("Started “{}” {in_dir}.", crate::clean(&self.title))
        }
    }
}

impl fmt::Display for InitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |p: &Path| crate::clean(&p.display().to_string()).into_owned();
        for path in &self.written {
            writeln!(f, "wrote {}", shown(path))?;
        }
        for (path, why) in &self.kept {
            writeln!(
                f,
                "kept  {} ({why}; the starter's version was not written)",
                shown(path)
            )?;
        }
        for (path, need) in &self.left_out {
            writeln!(
                f,
                "left out {} (it needs the starter's {}, which was not written)",
                shown(path),
                shown(need)
            )?;
        }
        let cd = if is_here(&self.dir) {
            String::new()
        } else {
            format!("  cd {}\n", shell_word(&shown(&self.dir)))
        };
        writeln!(
            f,
            "\n{} Next:\n{cd}  \
             docsite serve      preview at http://127.0.0.1:1111/, reloaded as you save\n  \
             docsite new event my-event --date 1925\n  \
             docsite check      every problem at once, links included\n  \
             docsite build      the site, into public/\n\
             Set base_url in site.toml before publishing; the README's author's guide says how.",
            self.headline()
        )
    }
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
            let text = fill(STARTER[0].text, title, PLACEHOLDER_BASE_URL);
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
    fn placeholders_are_filled_in_one_pass() {
        assert_eq!(
            fill(
                "t = {{title}}\nu = {{base_url}} {{x}}",
                "{{base_url}}",
                "https://a/"
            ),
            "t = \"{{base_url}}\"\nu = \"https://a/\" {{x}}"
        );
    }

    #[test]
    fn a_kept_file_leaves_out_every_file_that_needs_it() {
        let out = blocked_by(&[PLACES]);
        let mut left: Vec<&str> = out.iter().map(|(p, _)| *p).collect();
        left.sort_unstable();
        // The events naming the place, the chapter linking them, the home page linking it.
        assert_eq!(
            left,
            [
                "content/chapters/first-chapter.md",
                "content/events/1890-05-14-founding.md",
                "content/events/1921-03-move.md",
                "content/events/1930-approximate-event.md",
                "content/index.md"
            ]
        );
        assert_eq!(blocked_by(&[SITE]).len(), STARTER.len() - 2);
        assert!(blocked_by(&[]).is_empty());
        for file in STARTER {
            for need in file.needs {
                assert!(STARTER.iter().any(|f| f.path == *need), "{need}");
            }
        }
    }

    #[test]
    fn bad_titles_are_refused() {
        assert!(checked_title("  ").is_err());
        assert!(checked_title("a\nb").is_err());
        assert!(checked_title("A\u{FFFE}B").is_err());
        assert_eq!(checked_title(" The harbour ").unwrap(), "The harbour");
    }
}
