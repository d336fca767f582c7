//! One image file processed: read through the content fence, its header checked against
//! the limits before anything is decoded, decoded (turned upright by its EXIF
//! orientation), resized to a few widths and encoded as lossy WebP with a JPEG fallback
//! (PNG for an image with transparency). Re-encoding from pixels writes no metadata, so
//! EXIF, GPS and XMP are left behind.

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The largest width or height decoded, in pixels (a 12000×12000 RGBA image is 576 MB;
/// the allocation limit below stops that one).
pub(crate) const MAX_SIDE: u32 = 12_000;
/// The most memory one decode may take.
const MAX_ALLOC: u64 = 512 << 20;
/// The widths made, in pixels; an image narrower than one keeps its own width as its
/// largest.
pub(crate) const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
const WEBP_QUALITY: f32 = 72.0;
const JPEG_QUALITY: u8 = 80;

/// One size of an image, in both encodings.
pub(crate) struct Encoded {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) webp: Vec<u8>,
    /// JPEG, or PNG when [`Processed::alpha`](super::Processed).
    pub(crate) fallback: Vec<u8>,
}

/// Every size of one image, largest last, and whether it has transparency.
pub(crate) struct Sizes {
    pub(crate) alpha: bool,
    pub(crate) sizes: Vec<Encoded>,
}

/// The widths to make for an image `width` pixels wide, smallest first.
pub(crate) fn widths(width: u32) -> Vec<u32> {
    let mut w: Vec<u32> = WIDTHS.iter().copied().filter(|&x| x < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        w.push(width);
    } else if w.is_empty() {
        w.push(width.min(WIDTHS[WIDTHS.len() - 1]));
    }
    w
}

/// Decodes `bytes` and makes every size; the message says what is wrong with the file.
pub(crate) fn process(bytes: &[u8]) -> Result<Sizes, String> {
    let img = decode(bytes)?;
    let alpha = img.color().has_alpha();
    let img = if alpha {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    let mut sizes = Vec::new();
    let (w0, h0) = (img.width(), img.height());
    for w in widths(w0) {
        let h = ((u64::from(h0) * u64::from(w) + u64::from(w0) / 2) / u64::from(w0)).max(1) as u32;
        let sized = if w == w0 {
            img.clone()
        } else {
            img.resize_exact(w, h, image::imageops::FilterType::CatmullRom)
        };
        sizes.push(encode(&sized, alpha)?);
    }
    Ok(Sizes { alpha, sizes })
}

/// The image's format, as docsite reads it.
fn format(bytes: &[u8]) -> Result<ImageFormat, String> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) => {
            Ok(f)
        }
        Ok(f) => Err(format!(
            "{f:?} images are not read: use JPEG, PNG, WebP or GIF"
        )),
        Err(_) => Err("not an image (JPEG, PNG, WebP or GIF)".to_string()),
    }
}

/// Decodes `bytes` upright, once its header says it fits the limits.
pub(crate) fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let fmt = format(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), fmt);
    reader.limits(limits);
    let bad = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => format!(
            "image is too large to decode (at most {MAX_SIDE}×{MAX_SIDE} pixels and {} MiB)",
            MAX_ALLOC >> 20
        ),
        e => format!("cannot decode image: {}", first_line(&e.to_string())),
    };
    let mut decoder = reader.into_decoder().map_err(bad)?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!(
            "image is {w}×{h} pixels: at most {MAX_SIDE}×{MAX_SIDE} are decoded"
        ));
    }
    if w == 0 || h == 0 {
        return Err("image has no pixels".to_string());
    }
    let orientation = decoder.orientation().map_err(bad)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// Encodes one size: lossy WebP, and JPEG (or PNG, keeping transparency).
fn encode(img: &DynamicImage, alpha: bool) -> Result<Encoded, String> {
    let (width, height) = (img.width(), img.height());
    let webp = if alpha {
        webp::Encoder::from_rgba(img.as_bytes(), width, height).encode(WEBP_QUALITY)
    } else {
        webp::Encoder::from_rgb(img.as_bytes(), width, height).encode(WEBP_QUALITY)
    };
    let mut fallback = Vec::new();
    let written = if alpha {
        img.write_to(&mut Cursor::new(&mut fallback), ImageFormat::Png)
    } else {
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut fallback, JPEG_QUALITY);
        img.write_with_encoder(enc)
    };
    written.map_err(|e| format!("cannot encode image: {e}"))?;
    Ok(Encoded {
        width,
        height,
        webp: webp.to_vec(),
        fallback,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A JPEG of `w`×`h` pixels.
    pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(300), [300]);
        assert_eq!(widths(900), [480, 800, 900]);
        assert_eq!(widths(4000), [480, 800, 1200, 1600]);
        assert_eq!(widths(1600), [480, 800, 1200, 1600]);
    }

    #[test]
    fn an_image_is_made_in_every_width_in_both_encodings() {
        let s = process(&jpeg(900, 600)).unwrap();
        assert!(!s.alpha);
        let got: Vec<_> = s.sizes.iter().map(|e| (e.width, e.height)).collect();
        assert_eq!(got, [(480, 320), (800, 533), (900, 600)]);
        for e in &s.sizes {
            assert_eq!(&e.webp[..4], b"RIFF");
            assert_eq!(&e.fallback[..2], &[0xff, 0xd8]);
        }
    }

    /// A JPEG with an EXIF segment holding GPS tags: none of it is in what is written.
    #[test]
    fn exif_and_gps_are_stripped() {
        let plain = jpeg(64, 48);
        let marker = b"GPSLatitude-secret-Exif";
        let mut app1 = vec![0xff, 0xe1];
        let body: Vec<u8> = [&b"Exif\0\0"[..], &marker[..]].concat();
        app1.extend(((body.len() + 2) as u16).to_be_bytes());
        app1.extend(&body);
        let tagged: Vec<u8> = [&plain[..2], &app1[..], &plain[2..]].concat();
        assert!(tagged.windows(marker.len()).any(|w| w == marker));
        let s = process(&tagged).unwrap();
        for e in &s.sizes {
            for bytes in [&e.webp, &e.fallback] {
                assert!(!bytes.windows(4).any(|w| w == b"Exif"));
                assert!(!bytes.windows(marker.len()).any(|w| w == marker));
            }
        }
    }

    #[test]
    fn hostile_files_are_messages_not_panics() {
        let bomb = super::super::tests::png_header(20_000, 20_000);
        assert_eq!(
            decode(&bomb).err().unwrap(),
            "image is too large to decode (at most 12000×12000 pixels and 512 MiB)"
        );
        let full = jpeg(64, 48);
        let cut = decode(&full[..full.len() / 2]).err().unwrap();
        assert!(cut.starts_with("cannot decode image"), "{cut}");
        assert_eq!(
            decode(b"hello, I am text").err().unwrap(),
            "not an image (JPEG, PNG, WebP or GIF)"
        );
        assert_eq!(
            decode(b"").err().unwrap(),
            "not an image (JPEG, PNG, WebP or GIF)"
        );
    }
}
