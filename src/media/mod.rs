//! The media stage: the files of `content/media/` that events, chapters and Markdown
//! bodies use. Images are processed at build time ([`image`](self::image): decoded under
//! limits, resized to a few widths, encoded as WebP with a JPEG or PNG fallback, their
//! metadata left behind) and written under `media/img/`; video and audio files are copied
//! as they are under `media/`. [`html`] writes their HTML (`<picture>`, `<figure>`,
//! `<video>`, `<audio>`, the click-to-load facade of a remote video).
//!
//! A [`Media`] lives for one build and is shared by the threads of the Markdown stage,
//! which ask for each file where it is used, so every problem (a missing file, a name
//! that escapes `content/media/`, a file that is not an image, a decompression bomb) is
//! reported at the place that names it. Each file is processed once a build, and each
//! image once ever: the results are kept in a cache folder (`target/docsite-media/` of
//! the site, or the folder `--media-cache` names), by the hash of the image's bytes and
//! of how it is processed, so a build whose images did not change only reads them.

pub(crate) mod html;
mod image;

use crate::diag::Diagnostic;
use crate::files::Fence;
use crate::output::Output;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The folder of media files, in the site.
pub(crate) const DIR: &str = "content/media";
/// The environment variable naming the cache folder.
pub(crate) const CACHE_VAR: &str = "DOCSITE_MEDIA_CACHE";
/// The version of the processing: a change of widths, qualities or encoders bumps it, so
/// that the cache never hands back an image made the old way.
const VERSION: &str = "1";

/// What a media file is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Image,
    Video,
    Audio,
}

impl Kind {
    /// The kind of the file or address `src`, by its extension (a remote address without
    /// one is a video: it is shown as a link out).
    pub(crate) fn of(src: &str) -> Option<Kind> {
        let path = src.split(['?', '#']).next().unwrap_or_default();
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("jpg" | "jpeg" | "png" | "webp" | "gif") => Some(Kind::Image),
            Some("mp4" | "webm" | "ogv" | "m4v") => Some(Kind::Video),
            Some("mp3" | "ogg" | "oga" | "opus" | "m4a" | "wav" | "flac") => Some(Kind::Audio),
            _ if src.contains("://") => Some(Kind::Video),
            _ => None,
        }
    }

    /// The MIME type of a local file of this kind, from its name.
    pub(crate) fn mime(name: &str) -> &'static str {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("mp4" | "m4v") => "video/mp4",
            Some("webm") => "video/webm",
            Some("ogv") => "video/ogg",
            Some("mp3") => "audio/mpeg",
            Some("ogg" | "oga" | "opus") => "audio/ogg",
            Some("m4a") => "audio/mp4",
            Some("wav") => "audio/wav",
            Some("flac") => "audio/flac",
            _ => "application/octet-stream",
        }
    }
}

/// Why `name`, as written after `src =` or `@/media/`, cannot name a file of
/// `content/media/`: empty, absolute, with `..`, `.` or empty parts, or backslashes.
pub(crate) fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.starts_with('/') {
        Some("is an absolute path: name a file inside content/media/")
    } else if name.contains('\\') {
        Some("has a backslash: separate folders with /")
    } else if name.split('/').any(|p| p == "..") {
        Some("leaves content/media/ with `..`")
    } else if name.split('/').any(|p| p.is_empty() || p == ".") {
        Some("has an empty or `.` part")
    } else {
        None
    }
}

/// One size of a processed image, as output paths.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Size {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) webp: String,
    pub(crate) fallback: String,
}

/// An image processed: its sizes (smallest first) and the type of its fallback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Processed {
    pub(crate) sizes: Vec<Size>,
    /// `image/jpeg`, or `image/png` for an image with transparency.
    pub(crate) fallback_type: String,
    /// Each output file, with the file of the cache that holds it.
    #[serde(skip)]
    files: Vec<(String, PathBuf)>,
}

impl Processed {
    /// The largest size.
    pub(crate) fn largest(&self) -> &Size {
        &self.sizes[self.sizes.len() - 1]
    }
}

/// A file asked for: a processed image, or a file copied as it is (`media/<name>`).
#[derive(Debug, Clone)]
pub(crate) enum Made {
    Image(Arc<Processed>),
    Copied(String),
}

type Slot = Arc<OnceLock<Result<Made, String>>>;

/// The media of one build (see the module's documentation).
pub(crate) struct Media {
    root: PathBuf,
    fence: Fence,
    cache: PathBuf,
    asked: Mutex<HashMap<String, Slot>>,
}

impl Media {
    /// The media of the site at `root`, with its cache in the folder `DOCSITE_MEDIA_CACHE`
    /// names, or else `target/docsite-media/` of the site.
    pub(crate) fn new(root: &Path) -> Media {
        let named = std::env::var_os(CACHE_VAR).filter(|v| !v.is_empty());
        Media {
            root: root.to_path_buf(),
            fence: Fence::new(root, DIR),
            cache: named.map_or_else(|| root.join("target/docsite-media"), PathBuf::from),
            asked: Mutex::default(),
        }
    }

    /// A warning for each file of `content/media/` that nothing names.
    pub(crate) fn unused(&self, diags: &mut crate::diag::Diagnostics) {
        let asked = crate::sync::lock(&self.asked);
        let dir = self.root.join(DIR);
        let walk = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name();
        for entry in walk.into_iter().take(crate::files::MAX_FILES).flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if entry.file_type().is_dir() || hidden {
                continue;
            }
            let Ok(name) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let name = name.to_string_lossy().replace('\\', "/");
            if !asked.contains_key(&name) {
                let rel = Path::new(DIR).join(&name);
                diags.push(
                    Diagnostic::file(&rel, "this file is not read by the build")
                        .with_hint(format!("a media file is published where a page names it: src = \"{name}\" in a [[media]] table, or ![…]({}{name}) in Markdown", "@/media/"))
                        .with_severity(crate::diag::Severity::Warning),
                );
            }
        }
    }

    /// The file `name` of `content/media/`, made (once a build); the message says what is
    /// wrong with it.
    pub(crate) fn get(&self, name: &str) -> Result<Made, String> {
        let slot = {
            let mut asked = crate::sync::lock(&self.asked);
            Arc::clone(asked.entry(name.to_string()).or_default())
        };
        slot.get_or_init(|| self.make(name)).clone()
    }

    fn make(&self, name: &str) -> Result<Made, String> {
        if let Some(why) = bad_name(name) {
            return Err(format!("media name `{name}` {why}"));
        }
        let rel = Path::new(DIR).join(name);
        if std::fs::symlink_metadata(self.root.join(&rel)).is_err() {
            return Err(format!("media file `{}` does not exist", rel.display()));
        }
        match Kind::of(name) {
            Some(Kind::Image) => {}
            Some(_) => {
                self.fence.resolve(&rel).map_err(|d| message(&rel, d))?;
                return Ok(Made::Copied(crate::routes::media_copy(name)));
            }
            None => {
                return Err(format!(
                    "media file `{name}` is of no known kind: images are .jpg, .png, .webp or .gif, video .mp4, .webm or .ogv, audio .mp3, .ogg, .m4a, .wav or .flac"
                ))
            }
        }
        let bytes = self.fence.read(&rel).map_err(|d| message(&rel, d))?;
        let key = key(&bytes);
        let dir = self.cache.join(&key);
        if let Some(p) = cached(&dir, &key) {
            return Ok(Made::Image(Arc::new(p)));
        }
        let made = image::process(&bytes).map_err(|e| format!("`{}`: {e}", rel.display()))?;
        let p = store(&dir, &key, made)
            .map_err(|e| format!("cannot write the media cache {}: {e}", self.cache.display()))?;
        Ok(Made::Image(Arc::new(p)))
    }

    /// Writes every file asked for in this build (that could be made) into `out`.
    pub(crate) fn write(&self, out: &Output) -> Result<(), crate::diag::BuildError> {
        let asked: BTreeMap<String, Slot> = crate::sync::lock(&self.asked)
            .iter()
            .map(|(k, v)| (k.clone(), Arc::clone(v)))
            .collect();
        let system = crate::diag::BuildError::System;
        for (name, slot) in asked {
            match slot.get() {
                Some(Ok(Made::Image(p))) => {
                    for (to, from) in &p.files {
                        let bytes = std::fs::read(from).map_err(|e| {
                            system(anyhow::anyhow!("cannot read {}: {e}", from.display()))
                        })?;
                        out.put(to, bytes).map_err(system)?;
                    }
                }
                Some(Ok(Made::Copied(to))) => {
                    let rel = Path::new(DIR).join(&name);
                    let cap = crate::files::MAX_STATIC_BYTES;
                    let mut bytes = Vec::new();
                    if let Err(d) = self.fence.copy_to(&rel, &mut bytes, cap) {
                        return Err(crate::diag::BuildError::Site(crate::diag::Diagnostics(
                            vec![d],
                        )));
                    }
                    out.put(to, bytes).map_err(system)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The message of a problem of the fence: one naming where a symlink leads is told
/// without the place (which may be anywhere on the machine).
fn message(rel: &Path, d: Diagnostic) -> String {
    if d.message.contains("leads out of") {
        format!(
            "`{}` is a symlink that leads out of {DIR}/: only files inside it are read",
            rel.display()
        )
    } else {
        format!("`{}`: {}", rel.display(), d.message)
    }
}

/// The cache key of an image: the hash of its bytes and of the processing's version.
fn key(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(VERSION.as_bytes());
    h.update(bytes);
    let digest = h.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The output files of the image of `key` whose sizes are `sizes`, with their files in
/// the cache folder `dir`.
fn files_of(dir: &Path, key: &str, p: &mut Processed) {
    let ext = if p.fallback_type == "image/png" {
        "png"
    } else {
        "jpg"
    };
    p.files.clear();
    for s in &mut p.sizes {
        s.webp = crate::routes::media_image(&key[..16], s.width, "webp");
        s.fallback = crate::routes::media_image(&key[..16], s.width, ext);
        p.files
            .push((s.webp.clone(), dir.join(format!("{}.webp", s.width))));
        p.files
            .push((s.fallback.clone(), dir.join(format!("{}.{ext}", s.width))));
    }
}

/// The image of `key` as the cache holds it, if every file is there.
fn cached(dir: &Path, key: &str) -> Option<Processed> {
    let manifest = std::fs::read(dir.join("manifest.json")).ok()?;
    let mut p: Processed = serde_json::from_slice(&manifest).ok()?;
    if p.sizes.is_empty() {
        return None;
    }
    files_of(dir, key, &mut p);
    p.files.iter().all(|(_, f)| f.is_file()).then_some(p)
}

/// Keeps the sizes `made` of the image of `key` in the cache folder `dir` (each file
/// written beside and renamed, so a build stopped halfway leaves no half file), the
/// manifest last.
fn store(dir: &Path, key: &str, made: image::Sizes) -> std::io::Result<Processed> {
    std::fs::create_dir_all(dir)?;
    let fallback_type = if made.alpha {
        "image/png"
    } else {
        "image/jpeg"
    };
    let mut p = Processed {
        sizes: (made.sizes.iter())
            .map(|e| Size {
                width: e.width,
                height: e.height,
                webp: String::new(),
                fallback: String::new(),
            })
            .collect(),
        fallback_type: fallback_type.to_string(),
        files: Vec::new(),
    };
    files_of(dir, key, &mut p);
    let bytes = made.sizes.iter().flat_map(|e| [&e.webp, &e.fallback]);
    for ((_, file), bytes) in p.files.iter().zip(bytes) {
        write_atomic(file, bytes)?;
    }
    let manifest = serde_json::to_vec(&p).map_err(std::io::Error::other)?;
    write_atomic(&dir.join("manifest.json"), &manifest)?;
    Ok(p)
}

fn write_atomic(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The header of a PNG of `w`×`h` pixels, and no pixels: a decompression bomb's first
    /// bytes, in a few dozen.
    pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(13u32.to_be_bytes());
        out.extend(&ihdr);
        out.extend(crc32(&ihdr).to_be_bytes());
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xedb8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn names_stay_inside_the_media_folder() {
        for (name, why) in [
            ("", "is empty"),
            (
                "/etc/passwd",
                "is an absolute path: name a file inside content/media/",
            ),
            ("../secret.jpg", "leaves content/media/ with `..`"),
            ("a/../../b.jpg", "leaves content/media/ with `..`"),
            ("a//b.jpg", "has an empty or `.` part"),
            ("a\\b.jpg", "has a backslash: separate folders with /"),
        ] {
            assert_eq!(bad_name(name), Some(why), "{name}");
        }
        assert_eq!(bad_name("harbour/1965.jpg"), None);
    }

    #[test]
    fn kinds_come_from_the_extension() {
        assert_eq!(Kind::of("a.JPG"), Some(Kind::Image));
        assert_eq!(Kind::of("a.webm"), Some(Kind::Video));
        assert_eq!(Kind::of("a.mp3"), Some(Kind::Audio));
        assert_eq!(Kind::of("https://example.org/watch?v=1"), Some(Kind::Video));
        assert_eq!(Kind::of("a.txt"), None);
    }

    /// The second build of an unchanged image reads the cache and decodes nothing: its
    /// files are the first build's.
    #[test]
    fn an_image_is_processed_once_then_read_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(DIR)).unwrap();
        std::fs::write(root.join(DIR).join("a.jpg"), image::tests::jpeg(600, 400)).unwrap();
        let first = Media::new(root);
        let Ok(Made::Image(p)) = first.get("a.jpg") else {
            panic!("not made")
        };
        assert_eq!(p.largest().width, 600);
        let cached_file = &p.files[0].1;
        let before = std::fs::metadata(cached_file).unwrap().modified().unwrap();
        let second = Media::new(root);
        let Ok(Made::Image(q)) = second.get("a.jpg") else {
            panic!("not made")
        };
        assert_eq!(p.files, q.files);
        assert_eq!(
            std::fs::metadata(cached_file).unwrap().modified().unwrap(),
            before
        );
        let out = Output::memory();
        second.write(&out).unwrap();
        let files = out.commit().unwrap().unwrap();
        assert_eq!(files.len(), 4, "{:?}", files.keys());
        assert!(files.keys().all(|k| k.starts_with("media/img/")));
    }
}
