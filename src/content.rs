//! The school's content as the screens see it: the school's, as last synced and kept in storage,
//! or else the demo school with its dates moved to this week (the app's clock is
//! [`driehoek_web::clock`]).

use driehoek_core::{demo_content, Content};
use driehoek_web::clock::today;
use driehoek_web::state::use_record;
use leptos::prelude::*;

use crate::records::ContentCache;

/// The content in use, shared through context.
#[derive(Clone, Copy)]
pub struct SchoolContent(pub Memo<Content>);

/// Provides the content in use: the synced content where there is some, else the demo school
/// for this week.
pub fn provide_school_content() {
    let cache = use_record::<ContentCache>();
    provide_context(SchoolContent(Memo::new(move |_| {
        cache
            .with(|cache| cache.0.clone())
            .unwrap_or_else(|| demo_content(today()))
    })));
}

/// The content from context.
pub fn use_content() -> Memo<Content> {
    expect_context::<SchoolContent>().0
}
