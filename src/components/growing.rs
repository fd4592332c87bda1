//! Long lists drawn in steps: what fills the phone's screen at once, so that a tap answers in the
//! next frame, and the rest one step per frame after that frame has been painted.

use std::time::Duration;

use leptos::prelude::*;

/// Runs `f` once the next frame has been painted: a task posted from that frame's animation
/// callback runs after its style, layout and paint.
///
/// A change made in the animation callback itself would still be drawn in that same frame, which
/// is why a list's next step and the focus of a new screen wait for this instead.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, Duration::ZERO));
}

/// How many entries of a list to draw now. A list of up to `at_once` entries is drawn whole in the
/// first frame (it is cheap, and what a parent or a screen reader finds there is then complete at
/// once); a longer one starts with `first` (what fills a phone's screen), then `step` more after
/// each painted frame while fewer than `total()` are drawn (also when the list grows later, say
/// by a filter).
pub fn use_growing_limit(
    at_once: usize,
    first: usize,
    step: usize,
    total: impl Fn() -> usize + Send + Sync + 'static,
) -> Memo<usize> {
    let total = Memo::new(move |_| total());
    let (limit, set_limit) = signal(first);
    Effect::new(move |_| {
        let total = total.get();
        let drawn = limit.get();
        if total <= at_once {
            // Drawn whole: should the list grow past `at_once` later (a filter), it goes on from
            // here rather than shrinking back to `first`.
            if drawn < total {
                set_limit.set(total);
            }
        } else if drawn < total {
            after_next_paint(move || {
                // The screen may have been left in between.
                let _ = set_limit.try_update(|l| *l += step);
            });
        }
    });
    Memo::new(move |_| {
        if total.get() <= at_once {
            usize::MAX
        } else {
            limit.get()
        }
    })
}
