//! Typed models of twitter.json and citm_catalog.json for `benches/serde.rs`:
//! the same types are deserialized by every library, and compared with
//! `PartialEq` before any timing.
//!
//! Every string is a [`Str`]: a `Cow<str>` that borrows when the library can
//! hand it a string of the input's lifetime (unescaped strings, for every
//! library; escaped ones too for simd-json, which unescapes in place in its
//! mutable copy) and owns it otherwise. A bare `Cow<'a, str>` field with
//! `#[serde(borrow)]` borrows, but inside an `Option`, a `Vec` or a map serde's
//! `Cow` impl always copies; the transparent newtype borrows everywhere.
//!
//! Every struct denies unknown fields, so the types cover the documents
//! completely: no library gets to skip a value the others deserialize.

use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A string, borrowed from the input where the library allows it.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Str<'a>(#[serde(borrow)] pub Cow<'a, str>);

/// An object without fields; the documents only ever have `null` where these
/// are used.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// A map with numeric keys written as strings (`{"138586341": …}`).
pub type IdMap<V> = BTreeMap<u64, V>;

// ---------------------------------------------------------------------------
// twitter.json

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Twitter<'a> {
    #[serde(borrow)]
    pub statuses: Vec<Status<'a>>,
    #[serde(borrow)]
    pub search_metadata: SearchMetadata<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Status<'a> {
    #[serde(borrow)]
    pub metadata: Metadata<'a>,
    #[serde(borrow)]
    pub created_at: Str<'a>,
    pub id: u64,
    #[serde(borrow)]
    pub id_str: Str<'a>,
    #[serde(borrow)]
    pub text: Str<'a>,
    #[serde(borrow)]
    pub source: Str<'a>,
    pub truncated: bool,
    pub in_reply_to_status_id: Option<u64>,
    #[serde(borrow)]
    pub in_reply_to_status_id_str: Option<Str<'a>>,
    pub in_reply_to_user_id: Option<u64>,
    #[serde(borrow)]
    pub in_reply_to_user_id_str: Option<Str<'a>>,
    #[serde(borrow)]
    pub in_reply_to_screen_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub user: User<'a>,
    pub geo: Option<Empty>,
    pub coordinates: Option<Empty>,
    pub place: Option<Empty>,
    pub contributors: Option<Empty>,
    #[serde(borrow)]
    pub retweeted_status: Option<Box<Status<'a>>>,
    pub retweet_count: u32,
    pub favorite_count: u32,
    #[serde(borrow)]
    pub entities: StatusEntities<'a>,
    pub favorited: bool,
    pub retweeted: bool,
    pub possibly_sensitive: Option<bool>,
    #[serde(borrow)]
    pub lang: Str<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Metadata<'a> {
    #[serde(borrow)]
    pub result_type: Str<'a>,
    #[serde(borrow)]
    pub iso_language_code: Str<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct User<'a> {
    pub id: u64,
    #[serde(borrow)]
    pub id_str: Str<'a>,
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub screen_name: Str<'a>,
    #[serde(borrow)]
    pub location: Str<'a>,
    #[serde(borrow)]
    pub description: Str<'a>,
    #[serde(borrow)]
    pub url: Option<Str<'a>>,
    #[serde(borrow)]
    pub entities: UserEntities<'a>,
    pub protected: bool,
    pub followers_count: u32,
    pub friends_count: u32,
    pub listed_count: u32,
    #[serde(borrow)]
    pub created_at: Str<'a>,
    pub favourites_count: u32,
    pub utc_offset: Option<i32>,
    #[serde(borrow)]
    pub time_zone: Option<Str<'a>>,
    pub geo_enabled: bool,
    pub verified: bool,
    pub statuses_count: u32,
    #[serde(borrow)]
    pub lang: Str<'a>,
    pub contributors_enabled: bool,
    pub is_translator: bool,
    pub is_translation_enabled: bool,
    #[serde(borrow)]
    pub profile_background_color: Str<'a>,
    #[serde(borrow)]
    pub profile_background_image_url: Str<'a>,
    #[serde(borrow)]
    pub profile_background_image_url_https: Str<'a>,
    pub profile_background_tile: bool,
    #[serde(borrow)]
    pub profile_image_url: Str<'a>,
    #[serde(borrow)]
    pub profile_image_url_https: Str<'a>,
    #[serde(borrow)]
    pub profile_banner_url: Option<Str<'a>>,
    #[serde(borrow)]
    pub profile_link_color: Str<'a>,
    #[serde(borrow)]
    pub profile_sidebar_border_color: Str<'a>,
    #[serde(borrow)]
    pub profile_sidebar_fill_color: Str<'a>,
    #[serde(borrow)]
    pub profile_text_color: Str<'a>,
    pub profile_use_background_image: bool,
    pub default_profile: bool,
    pub default_profile_image: bool,
    pub following: bool,
    pub follow_request_sent: bool,
    pub notifications: bool,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UserEntities<'a> {
    #[serde(borrow)]
    pub url: Option<UrlList<'a>>,
    #[serde(borrow)]
    pub description: UrlList<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UrlList<'a> {
    #[serde(borrow)]
    pub urls: Vec<Url<'a>>,
}

/// Character offsets of an entity in its text.
pub type Indices = [u32; 2];

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Url<'a> {
    #[serde(borrow)]
    pub url: Str<'a>,
    #[serde(borrow)]
    pub expanded_url: Str<'a>,
    #[serde(borrow)]
    pub display_url: Str<'a>,
    pub indices: Indices,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatusEntities<'a> {
    #[serde(borrow)]
    pub hashtags: Vec<Hashtag<'a>>,
    #[serde(borrow)]
    pub symbols: Vec<Hashtag<'a>>,
    #[serde(borrow)]
    pub urls: Vec<Url<'a>>,
    #[serde(borrow)]
    pub user_mentions: Vec<UserMention<'a>>,
    #[serde(borrow)]
    pub media: Option<Vec<Media<'a>>>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Hashtag<'a> {
    #[serde(borrow)]
    pub text: Str<'a>,
    pub indices: Indices,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UserMention<'a> {
    #[serde(borrow)]
    pub screen_name: Str<'a>,
    #[serde(borrow)]
    pub name: Str<'a>,
    pub id: u64,
    #[serde(borrow)]
    pub id_str: Str<'a>,
    pub indices: Indices,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Media<'a> {
    pub id: u64,
    #[serde(borrow)]
    pub id_str: Str<'a>,
    pub indices: Indices,
    #[serde(borrow)]
    pub media_url: Str<'a>,
    #[serde(borrow)]
    pub media_url_https: Str<'a>,
    #[serde(borrow)]
    pub url: Str<'a>,
    #[serde(borrow)]
    pub display_url: Str<'a>,
    #[serde(borrow)]
    pub expanded_url: Str<'a>,
    #[serde(borrow, rename = "type")]
    pub kind: Str<'a>,
    #[serde(borrow)]
    pub sizes: Sizes<'a>,
    pub source_status_id: Option<u64>,
    #[serde(borrow)]
    pub source_status_id_str: Option<Str<'a>>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sizes<'a> {
    #[serde(borrow)]
    pub medium: Size<'a>,
    #[serde(borrow)]
    pub small: Size<'a>,
    #[serde(borrow)]
    pub thumb: Size<'a>,
    #[serde(borrow)]
    pub large: Size<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Size<'a> {
    pub w: u32,
    pub h: u32,
    #[serde(borrow)]
    pub resize: Str<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchMetadata<'a> {
    pub completed_in: f64,
    pub max_id: u64,
    #[serde(borrow)]
    pub max_id_str: Str<'a>,
    #[serde(borrow)]
    pub next_results: Str<'a>,
    #[serde(borrow)]
    pub query: Str<'a>,
    #[serde(borrow)]
    pub refresh_url: Str<'a>,
    pub count: u32,
    pub since_id: u64,
    #[serde(borrow)]
    pub since_id_str: Str<'a>,
}

// ---------------------------------------------------------------------------
// citm_catalog.json

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CitmCatalog<'a> {
    #[serde(borrow)]
    pub area_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub audience_sub_category_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub block_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub events: IdMap<Event<'a>>,
    #[serde(borrow)]
    pub performances: Vec<Performance<'a>>,
    #[serde(borrow)]
    pub seat_category_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub sub_topic_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub subject_names: IdMap<Str<'a>>,
    #[serde(borrow)]
    pub topic_names: IdMap<Str<'a>>,
    pub topic_sub_topics: IdMap<Vec<u64>>,
    /// Keyed by venue code (`"PLEYEL_PLEYEL"`), not by number.
    #[serde(borrow)]
    pub venue_names: BTreeMap<Str<'a>, Str<'a>>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Event<'a> {
    #[serde(borrow)]
    pub description: Option<Str<'a>>,
    pub id: u64,
    #[serde(borrow)]
    pub logo: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Str<'a>,
    pub sub_topic_ids: Vec<u64>,
    #[serde(borrow)]
    pub subject_code: Option<Str<'a>>,
    #[serde(borrow)]
    pub subtitle: Option<Str<'a>>,
    pub topic_ids: Vec<u64>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Performance<'a> {
    pub event_id: u64,
    pub id: u64,
    #[serde(borrow)]
    pub logo: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    pub prices: Vec<Price>,
    pub seat_categories: Vec<SeatCategory>,
    #[serde(borrow)]
    pub seat_map_image: Option<Str<'a>>,
    pub start: u64,
    #[serde(borrow)]
    pub venue_code: Str<'a>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Price {
    pub amount: u32,
    pub audience_sub_category_id: u64,
    pub seat_category_id: u64,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeatCategory {
    pub areas: Vec<Area>,
    pub seat_category_id: u64,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Area {
    pub area_id: u64,
    pub block_ids: Vec<u64>,
}

// ---------------------------------------------------------------------------
// Counting what borrowed.

/// Counts the strings of a value that the library copied (`Cow::Owned`) and
/// those it borrowed, to explain the allocation report.
pub trait Strings {
    /// `(borrowed, owned)`.
    fn strings(&self) -> (usize, usize);
}

impl Strings for Str<'_> {
    fn strings(&self) -> (usize, usize) {
        match self.0 {
            Cow::Borrowed(_) => (1, 0),
            Cow::Owned(_) => (0, 1),
        }
    }
}

impl<T: Strings> Strings for Option<T> {
    fn strings(&self) -> (usize, usize) {
        self.as_ref().map_or((0, 0), Strings::strings)
    }
}

impl<T: Strings> Strings for Box<T> {
    fn strings(&self) -> (usize, usize) {
        (**self).strings()
    }
}

impl<T: Strings> Strings for Vec<T> {
    fn strings(&self) -> (usize, usize) {
        sum(self.iter().map(Strings::strings))
    }
}

impl<K: Strings, V: Strings> Strings for BTreeMap<K, V> {
    fn strings(&self) -> (usize, usize) {
        sum(self.iter().map(|(k, v)| add(k.strings(), v.strings())))
    }
}

/// Values without strings.
macro_rules! no_strings {
    ($($ty:ty),*) => {$(
        impl Strings for $ty {
            fn strings(&self) -> (usize, usize) {
                (0, 0)
            }
        }
    )*};
}
no_strings!(u64, Empty, Price, SeatCategory);

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

fn sum(items: impl Iterator<Item = (usize, usize)>) -> (usize, usize) {
    items.fold((0, 0), add)
}

/// `Strings` for a struct: the sum over the listed fields (those that can
/// hold strings).
macro_rules! strings_of {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl Strings for $ty<'_> {
            fn strings(&self) -> (usize, usize) {
                sum([$(self.$field.strings()),*].into_iter())
            }
        }
    };
}

strings_of!(Twitter {
    statuses,
    search_metadata
});
strings_of!(Status {
    metadata,
    created_at,
    id_str,
    text,
    source,
    in_reply_to_status_id_str,
    in_reply_to_user_id_str,
    in_reply_to_screen_name,
    user,
    retweeted_status,
    entities,
    lang,
});
strings_of!(Metadata {
    result_type,
    iso_language_code
});
strings_of!(User {
    id_str,
    name,
    screen_name,
    location,
    description,
    url,
    entities,
    created_at,
    time_zone,
    lang,
    profile_background_color,
    profile_background_image_url,
    profile_background_image_url_https,
    profile_image_url,
    profile_image_url_https,
    profile_banner_url,
    profile_link_color,
    profile_sidebar_border_color,
    profile_sidebar_fill_color,
    profile_text_color,
});
strings_of!(UserEntities { url, description });
strings_of!(UrlList { urls });
strings_of!(Url {
    url,
    expanded_url,
    display_url
});
strings_of!(StatusEntities {
    hashtags,
    symbols,
    urls,
    user_mentions,
    media
});
strings_of!(Hashtag { text });
strings_of!(UserMention {
    screen_name,
    name,
    id_str
});
strings_of!(Media {
    id_str,
    media_url,
    media_url_https,
    url,
    display_url,
    expanded_url,
    kind,
    sizes,
    source_status_id_str,
});
strings_of!(Sizes {
    medium,
    small,
    thumb,
    large
});
strings_of!(Size { resize });
strings_of!(SearchMetadata {
    max_id_str,
    next_results,
    query,
    refresh_url,
    since_id_str,
});
strings_of!(CitmCatalog {
    area_names,
    audience_sub_category_names,
    block_names,
    events,
    performances,
    seat_category_names,
    sub_topic_names,
    subject_names,
    topic_names,
    venue_names,
});
strings_of!(Event {
    description,
    logo,
    name,
    subject_code,
    subtitle
});
strings_of!(Performance {
    logo,
    name,
    seat_map_image,
    venue_code
});
