//! QR codes drawn on the server as inline SVG: a mother's invitation to
//! her phone, and the second factor's secret for an authenticator app.

/// A QR code of `text` as inline SVG (no style attributes: the CSP).
pub fn svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build();
            // Inline in the page: without the XML declaration.
            match svg.find("<svg") {
                Some(at) => svg[at..].replacen("<svg", "<svg class=\"qr\" role=\"img\"", 1),
                None => String::new(),
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "QR code not drawn");
            String::new()
        }
    }
}
