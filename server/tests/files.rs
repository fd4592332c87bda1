//! The built app as the server sends it: the build's brotli copy to a browser that accepts it,
//! the plain file to one that does not, with the file's own type and caching either way.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use driehoek_server::app;

#[tokio::test]
async fn the_brotli_copy_goes_to_a_browser_that_accepts_it() {
    let setup = common::setup();
    let dist = &setup.state.dist;
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Driehoek</title>",
    )
    .unwrap();
    let name = "driehoek-0123456789abcdef_bg.wasm";
    let plain = b"\0asm plain module".to_vec();
    let brotli = b"pretend-brotli-bytes".to_vec();
    std::fs::write(dist.join(name), &plain).unwrap();
    std::fs::write(dist.join(format!("{name}.br")), &brotli).unwrap();
    let router = app(setup.state.clone());

    let request = |encoding: Option<&str>| {
        let mut request = Request::get(format!("/{name}"));
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        request.body(Body::empty()).unwrap()
    };

    let (status, headers, body) = common::send(&router, request(Some("gzip, deflate, br"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(body, brotli, "the build's copy, not one compressed again");
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));

    let (status, headers, body) = common::send(&router, request(None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, plain);
}

#[tokio::test]
async fn beheer_is_its_own_page_and_every_other_screen_is_the_parents_app() {
    let setup = common::setup();
    let dist = &setup.state.dist;
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(dist.join("index.html"), "ouders").unwrap();
    std::fs::write(dist.join("beheer.html"), "school").unwrap();
    let router = app(setup.state.clone());
    for (path, page) in [
        ("/beheer", "school"),
        ("/beheer/activiteiten/ouderavond-groep-7", "school"),
        ("/afspraken", "ouders"),
        ("/beheerder", "ouders"),
        ("/", "ouders"),
    ] {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let (status, _, body) = common::send(&router, request).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(String::from_utf8(body).unwrap(), page, "{path}");
    }
}
