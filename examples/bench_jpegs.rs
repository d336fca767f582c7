//! Writes photograph-sized JPEGs for `bench/media`: `bench_jpegs DIR COUNT WIDTH HEIGHT`
//! writes `DIR/photo-01.jpg` … each a different gradient with grain, so that every file is
//! as costly to decode and resize as a photograph (a flat colour would be too cheap).

use image::{codecs::jpeg::JpegEncoder, Rgb, RgbImage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, count, w, h] = args.as_slice() else {
        return Err("usage: bench_jpegs DIR COUNT WIDTH HEIGHT".into());
    };
    let (count, w, h): (u32, u32, u32) = (count.parse()?, w.parse()?, h.parse()?);
    std::fs::create_dir_all(dir)?;
    for i in 0..count {
        let mut seed = 0x9e37_79b9_u32.wrapping_mul(i + 1);
        let img = RgbImage::from_fn(w, h, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let grain = (seed & 31) as u8;
            let r = (x * 200 / w) as u8 + grain;
            let g = (y * 180 / h) as u8 + grain / 2;
            let b = ((x + y + i * 97) % 256) as u8 / 2 + grain;
            Rgb([r, g, b])
        });
        let path = format!("{dir}/photo-{:02}.jpg", i + 1);
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        img.write_with_encoder(JpegEncoder::new_with_quality(file, 90))?;
    }
    Ok(())
}
