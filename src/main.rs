//! Entry point of the wasm client: set the panic hook and mount. Everything else is in the
//! library, so that it can be tested.

fn main() {
    console_error_panic_hook::set_once();
    // The app removes index.html's loading message once it draws (app.rs).
    leptos::mount::mount_to_body(driehoek::app::App);
}
