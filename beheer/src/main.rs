//! Entry point of the Beheer wasm (`beheer.html`): the school's screens, apart from the parents'
//! app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(driehoek_beheer::app::BeheerApp);
}
