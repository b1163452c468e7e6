//! Relay-style pages: `after`/`before` cursors and `first`/`last` counts
//! over an ordered list, and the `PageInfo` of the result.

use async_graphql::SimpleObject;

/// Where a page is in its connection.
#[derive(SimpleObject, Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageInfo {
    /// Whether items come before this page.
    pub(crate) has_previous_page: bool,
    /// Whether items come after this page.
    pub(crate) has_next_page: bool,
    /// The cursor of the page's first item.
    pub(crate) start_cursor: Option<String>,
    /// The cursor of the page's last item.
    pub(crate) end_cursor: Option<String>,
}

/// The arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageArgs {
    /// Only items after this cursor.
    pub(crate) after: Option<String>,
    /// Only items before this cursor.
    pub(crate) before: Option<String>,
    /// At most this many of the first items.
    pub(crate) first: Option<i32>,
    /// At most this many of the last items.
    pub(crate) last: Option<i32>,
}

impl PageArgs {
    /// Forward paging only.
    pub(crate) fn forward(after: Option<String>, first: Option<i32>) -> Self {
        PageArgs {
            after,
            first,
            ..PageArgs::default()
        }
    }
}

/// How the cursors of a list are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// The page of `items` (with their cursors, in `order`) that `args` asks
/// for.
pub(crate) fn paginate<T>(
    items: Vec<(String, T)>,
    args: &PageArgs,
    order: Order,
) -> async_graphql::Result<(PageInfo, Vec<(String, T)>)> {
    for (name, count) in [("first", args.first), ("last", args.last)] {
        if count.is_some_and(|n| n < 0) {
            return Err(format!("`{name}` must not be negative").into());
        }
    }
    let comes_after = |cursor: &str, other: &str| match order {
        Order::Ascending => cursor > other,
        Order::Descending => cursor < other,
    };
    let mut items: Vec<(String, T)> = items
        .into_iter()
        .filter(|(cursor, _)| {
            args.after.as_deref().is_none_or(|a| comes_after(cursor, a))
                && args
                    .before
                    .as_deref()
                    .is_none_or(|b| comes_after(b, cursor))
        })
        .collect();
    let mut info = PageInfo::default();
    if let Some(first) = args.first {
        let first = first as usize;
        if items.len() > first {
            items.truncate(first);
            info.has_next_page = true;
        }
    }
    if let Some(last) = args.last {
        let last = last as usize;
        if items.len() > last {
            items.drain(..items.len() - last);
            info.has_previous_page = true;
        }
    }
    info.start_cursor = items.first().map(|(c, _)| c.clone());
    info.end_cursor = items.last().map(|(c, _)| c.clone());
    Ok((info, items))
}

/// Declares a connection type and its edge type.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty) => {
        /// A page of a connection.
        #[derive(async_graphql::SimpleObject)]
        pub(crate) struct $conn {
            /// Where this page is.
            pub(crate) page_info: $crate::graphql::page::PageInfo,
            /// The items.
            pub(crate) edges: Vec<$edge>,
        }

        /// An item of a connection.
        #[derive(async_graphql::SimpleObject)]
        pub(crate) struct $edge {
            /// The item.
            pub(crate) node: $node,
            /// Its cursor.
            pub(crate) cursor: String,
        }

        impl $conn {
            /// The page of `items` that `args` asks for.
            pub(crate) fn page(
                items: Vec<(String, $node)>,
                args: &$crate::graphql::page::PageArgs,
                order: $crate::graphql::page::Order,
            ) -> async_graphql::Result<$conn> {
                let (page_info, items) = $crate::graphql::page::paginate(items, args, order)?;
                Ok($conn {
                    page_info,
                    edges: items
                        .into_iter()
                        .map(|(cursor, node)| $edge { node, cursor })
                        .collect(),
                })
            }
        }
    };
}

pub(crate) use connection;

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<(String, u32)> {
        (1..=5).map(|i| (format!("c{i}"), i)).collect()
    }

    #[test]
    fn pages_go_forward_and_backward() {
        let (info, page) = paginate(
            items(),
            &PageArgs::forward(Some("c2".into()), Some(2)),
            Order::Ascending,
        )
        .unwrap();
        assert_eq!(page.iter().map(|(_, i)| *i).collect::<Vec<_>>(), [3, 4]);
        assert!(info.has_next_page);
        assert_eq!(info.end_cursor.as_deref(), Some("c4"));

        let args = PageArgs {
            last: Some(1),
            before: Some("c3".into()),
            ..PageArgs::default()
        };
        let (info, page) = paginate(items(), &args, Order::Ascending).unwrap();
        assert_eq!(page.iter().map(|(_, i)| *i).collect::<Vec<_>>(), [2]);
        assert!(info.has_previous_page && !info.has_next_page);

        let mut descending = items();
        descending.reverse();
        let (_, page) = paginate(
            descending,
            &PageArgs::forward(Some("c4".into()), None),
            Order::Descending,
        )
        .unwrap();
        assert_eq!(page.iter().map(|(_, i)| *i).collect::<Vec<_>>(), [3, 2, 1]);

        assert!(paginate(
            items(),
            &PageArgs::forward(None, Some(-1)),
            Order::Ascending
        )
        .is_err());
    }
}
