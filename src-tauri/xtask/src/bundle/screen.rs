//! What a window shows, read from `xwd` dumps: enough to tell Outlay's page (the accent
//! colour on its buttons and logo) from a blank or error page (greys only), and to save a
//! picture of it for a person to look at.

use std::path::Path;

/// An RGB picture of a window.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    /// Row-major RGB triples.
    pub pixels: Vec<[u8; 3]>,
}

impl Picture {
    /// Reads an XWD file as `xwd` writes it for a TrueColor visual (what Xvfb offers).
    pub fn from_xwd(bytes: &[u8]) -> Result<Picture, String> {
        let field = |index: usize| -> Result<u32, String> {
            bytes
                .get(index * 4..index * 4 + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or("the window dump is cut short".to_string())
        };
        let header_size = field(0)? as usize;
        let (format, width, height) = (field(2)?, field(4)? as usize, field(5)? as usize);
        let (lsb_first, bits_per_pixel, bytes_per_line) =
            (field(7)? == 0, field(11)?, field(12)? as usize);
        let masks = [field(14)?, field(15)?, field(16)?];
        let colours = field(19)? as usize;
        // Format 2 is ZPixmap; 24- and 32-bit pixels are the TrueColor layouts.
        if format != 2 || !(bits_per_pixel == 32 || bits_per_pixel == 24) {
            return Err(format!(
                "unexpected window dump: format {format}, {bits_per_pixel} bits per pixel"
            ));
        }
        let data = header_size + colours * 12;
        let bytes_per_pixel = bits_per_pixel as usize / 8;
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let at = data + y * bytes_per_line + x * bytes_per_pixel;
                let raw = bytes
                    .get(at..at + bytes_per_pixel)
                    .ok_or("the window dump is cut short")?;
                let mut value = 0u32;
                for i in 0..bytes_per_pixel {
                    let byte = if lsb_first {
                        raw[bytes_per_pixel - 1 - i]
                    } else {
                        raw[i]
                    };
                    value = (value << 8) | u32::from(byte);
                }
                pixels.push(masks.map(|mask| channel(value, mask)));
            }
        }
        Ok(Picture {
            width,
            height,
            pixels,
        })
    }

    /// The share of pixels with a clear colour (not white, grey or black).
    pub fn coloured_share(&self) -> f64 {
        if self.pixels.is_empty() {
            return 0.0;
        }
        let coloured = self
            .pixels
            .iter()
            .filter(|[r, g, b]| r.max(g).max(b) - r.min(g).min(b) >= 64)
            .count();
        coloured as f64 / self.pixels.len() as f64
    }

    /// Saves the picture as a binary PPM, which any image viewer opens.
    pub fn save_ppm(&self, path: &Path) -> Result<(), String> {
        let mut bytes = format!("P6\n{} {}\n255\n", self.width, self.height).into_bytes();
        bytes.extend(self.pixels.iter().flatten());
        std::fs::write(path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))
    }
}

/// One colour channel of a pixel value, scaled to 0–255.
fn channel(value: u32, mask: u32) -> u8 {
    if mask == 0 {
        return 0;
    }
    let max = mask >> mask.trailing_zeros();
    let level = (value & mask) >> mask.trailing_zeros();
    (u64::from(level) * 255 / u64::from(max)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 XWD as Xvfb's xwd writes it: big-endian header, little-endian 32-bit pixels.
    fn xwd(pixels: [[u8; 3]; 2]) -> Vec<u8> {
        let header_size = 100u32 + 8; // 25 fields, then the window name "Outlay\0" padded
        let fields: [u32; 25] = [
            header_size,
            7,
            2,
            24,
            2,
            1,
            0,
            0,
            32,
            0,
            32,
            32,
            8,
            4,
            0xff0000,
            0xff00,
            0xff,
            8,
            256,
            0,
            2,
            1,
            0,
            0,
            0,
        ];
        let mut bytes: Vec<u8> = fields.iter().flat_map(|f| f.to_be_bytes()).collect();
        bytes.extend(b"Outlay\0\0");
        for [r, g, b] in pixels {
            bytes.extend([b, g, r, 0]);
        }
        bytes
    }

    #[test]
    fn reads_true_colour_pixels() {
        let picture = Picture::from_xwd(&xwd([[15, 157, 138], [255, 255, 255]])).unwrap();
        assert_eq!((picture.width, picture.height), (2, 1));
        assert_eq!(picture.pixels, vec![[15, 157, 138], [255, 255, 255]]);
        assert_eq!(picture.coloured_share(), 0.5);
    }

    #[test]
    fn greys_are_not_colour() {
        let picture = Picture::from_xwd(&xwd([[40, 40, 40], [200, 205, 210]])).unwrap();
        assert_eq!(picture.coloured_share(), 0.0);
    }

    #[test]
    fn a_short_dump_is_an_error_not_a_panic() {
        let mut bytes = xwd([[0, 0, 0], [0, 0, 0]]);
        bytes.truncate(110);
        assert!(Picture::from_xwd(&bytes).is_err());
    }
}
