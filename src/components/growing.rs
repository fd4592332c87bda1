//! Long lists drawn in steps: the first part at once, so that a tap answers in the next frame,
//! and the rest one step per animation frame after it.

use leptos::prelude::*;

/// How many entries of a list to draw now: `first`, then `step` more per animation frame while
/// fewer than `total()` are drawn (also when the list grows later, say by a filter).
pub fn use_growing_limit(
    first: usize,
    step: usize,
    total: impl Fn() -> usize + Send + Sync + 'static,
) -> ReadSignal<usize> {
    let (limit, set_limit) = signal(first);
    Effect::new(move |_| {
        if limit.get() < total() {
            request_animation_frame(move || {
                // The screen may have been left in between.
                let _ = set_limit.try_update(|l| *l += step);
            });
        }
    });
    limit
}
