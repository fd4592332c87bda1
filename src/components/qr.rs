//! A QR code drawn in the app, as SVG (no outside service): the link that joins a second phone.

use std::fmt::Write as _;

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The quiet zone around the code, in modules (the standard asks for four).
const QUIET: i32 = 4;

/// The SVG path of the dark modules of a QR code that holds `text`, and the picture's width in
/// modules (with the quiet zone); `None` when the text is too long for a QR code.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + QUIET, y + QUIET);
            }
        }
    }
    Some((path, size + 2 * QUIET))
}

/// The QR code of `text`, black on white also in the dark theme (cameras need the contrast),
/// with `label` for screen readers.
#[component]
pub fn QrImage(
    /// What the code holds.
    text: String,
    /// What a screen reader says instead of the picture.
    label: String,
) -> impl IntoView {
    qr_path(&text).map(|(path, width)| {
        view! {
            <svg class="qr" viewBox=format!("0 0 {width} {width}") role="img" aria-label=label
                shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                <rect width=width height=width fill="#fff"/>
                <path d=path fill="#000"/>
            </svg>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_link_fits_in_a_qr_code_with_its_quiet_zone() {
        let link = format!(
            "https://driehoek.school.example.nl/#koppel&school=wilgenhoek&code={}&gezin=gezin-{}\
             &geheim=geheim-{}&naam=De%20Wilgenhoek&ouders=Sanne%2C%20Bram",
            "c".repeat(24),
            "a".repeat(32),
            "b".repeat(32)
        );
        let (path, width) = qr_path(&link).unwrap();
        assert!(
            path.starts_with("M4,4h1v1h-1z"),
            "the finder pattern's corner: {path:.40}"
        );
        assert!((21 + 8..=177 + 8).contains(&width));
        // The same text always gives the same picture.
        assert_eq!(qr_path(&link).unwrap().0, path);
        assert!(
            qr_path(&"x".repeat(5000)).is_none(),
            "too long for any QR code"
        );
    }
}
