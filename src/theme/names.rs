//! Which files are part of a theme, by name: one rule, read both by `build.rs` (which
//! embeds the built-in theme from the repository's `templates/` and `static/`) and by the
//! crate (which loads a site's own templates by the same rule), so the two never differ.
//! Paths are relative to the theme folder, with `/` between parts.

/// Whether one part of a path is left out of a theme: hidden (`.git`, `.base.html.swp`,
/// `.#base.html`) or an editor's backup (`base.html~`, `#base.html#`, `base.html.bak`,
/// `base.html.orig`, `base.html.swp`).
pub(crate) fn is_left_out(part: &str) -> bool {
    part.starts_with('.')
        || part.ends_with('~')
        || (part.starts_with('#') && part.ends_with('#'))
        || [".bak", ".orig", ".swp", ".swo", ".tmp"]
            .iter()
            .any(|ext| part.ends_with(ext))
}

/// Whether the file at `path` (`/`-separated, under `templates/` or `static/`) belongs to
/// the theme: no part of it is left out ([`is_left_out`]).
pub(crate) fn is_theme_file(path: &str) -> bool {
    !path.split('/').any(is_left_out)
}

/// Whether the file at `name` (relative to `templates/`: `base.html`, `partials/x.html`)
/// is a template: a theme file ending in `.html` or `.xml`. Other files there (a README, a
/// swap file) are neither loaded nor embedded.
pub(crate) fn is_template(name: &str) -> bool {
    is_theme_file(name) && (name.ends_with(".html") || name.ends_with(".xml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_backups_and_non_templates_are_left_out() {
        for name in ["base.html", "partials/card.html", "atom.xml"] {
            assert!(is_template(name), "{name}");
        }
        for name in [
            ".base.html.swp",
            "base.html~",
            "#base.html#",
            ".#base.html",
            ".git/x.html",
            "base.html.bak",
            "README.md",
        ] {
            assert!(!is_template(name), "{name}");
        }
        assert!(is_theme_file("img/mark.svg"));
        assert!(!is_theme_file("img/.DS_Store"));
    }
}
