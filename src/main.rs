//! Entry point of the wasm client: set the panic hook and mount. Everything else is in the
//! library, so that it can be tested.

fn main() {
    console_error_panic_hook::set_once();
    // The "wordt geladen" message of index.html has done its work.
    if let Some(loading) = leptos::prelude::document().get_element_by_id("laden") {
        loading.remove();
    }
    leptos::mount::mount_to_body(driehoek::app::App);
}
