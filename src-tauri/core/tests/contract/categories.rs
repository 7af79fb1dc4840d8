use crate::harness::Backend;
use outlay_core::categories::CategoryInput;
use outlay_core::expenses::ExpenseFilter;
use outlay_core::AppError;

fn named(name: &str) -> CategoryInput {
    CategoryInput {
        name: name.into(),
        ..Default::default()
    }
}

async fn new_users_get_the_default_categories(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let categories = app.outlay.categories(&ann).await.unwrap();
    assert_eq!(categories.len(), 21);
    let food = categories.iter().find(|c| c.name == "Food").unwrap();
    let children: Vec<&str> = categories
        .iter()
        .filter(|c| c.parent_id == Some(food.id))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(children, ["Coffee", "Groceries", "Restaurants"]);
}

async fn create_rename_recolour_and_nest_one_level(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let pets = app
        .outlay
        .create_category(&ann, named("Pets"))
        .await
        .unwrap();
    let vet = app
        .outlay
        .create_category(
            &ann,
            CategoryInput {
                parent_id: Some(pets.id),
                ..named("Vet")
            },
        )
        .await
        .unwrap();
    let nested = app
        .outlay
        .create_category(
            &ann,
            CategoryInput {
                parent_id: Some(vet.id),
                ..named("Too deep")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(nested.field(), Some("parentId"));
    let duplicate = app
        .outlay
        .create_category(&ann, named("pets"))
        .await
        .unwrap_err();
    assert!(matches!(duplicate, AppError::Conflict(_)), "{duplicate:?}");
    let renamed = app
        .outlay
        .update_category(
            &ann,
            pets.id,
            CategoryInput {
                colour: Some("#123ABC".into()),
                ..named("Animals")
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.colour.as_str()),
        ("Animals", "#123abc")
    );
    let stored = app
        .outlay
        .categories(&ann)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == pets.id)
        .unwrap();
    assert_eq!(stored, renamed);
    let bad_colour = app
        .outlay
        .create_category(
            &ann,
            CategoryInput {
                colour: Some("javascript:alert(1)".into()),
                ..named("X")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad_colour.field(), Some("colour"));
}

async fn merge_moves_expenses_budgets_and_children(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let restaurants = app.category(&ann, "Restaurants").await;
    let groceries = app.category(&ann, "Groceries").await;
    app.spend(&ann, "10", "2026-11-01", "Restaurants", "dinner")
        .await;
    app.spend(&ann, "5", "2026-11-02", "Restaurants", "lunch")
        .await;
    let moved = app
        .outlay
        .merge_categories(&ann, restaurants.id, groceries.id)
        .await
        .unwrap();
    assert_eq!(moved, 2);
    assert!(app
        .outlay
        .categories(&ann)
        .await
        .unwrap()
        .iter()
        .all(|c| c.id != restaurants.id));
    let filter = ExpenseFilter {
        category_id: Some(groceries.id),
        ..Default::default()
    };
    assert_eq!(
        app.outlay
            .list_expenses(&ann, &filter, None, 10)
            .await
            .unwrap()
            .expenses
            .len(),
        2
    );

    // A parent with children merges into another top-level category, children and all.
    let transport = app.category(&ann, "Transport").await;
    let travel = app.category(&ann, "Travel").await;
    app.outlay
        .merge_categories(&ann, transport.id, travel.id)
        .await
        .unwrap();
    let taxi = app.category(&ann, "Taxi").await;
    assert_eq!(taxi.parent_id, Some(travel.id));
    assert_eq!(
        app.outlay
            .merge_categories(&ann, travel.id, travel.id)
            .await
            .unwrap_err()
            .field(),
        Some("category")
    );
}

contract_tests!(
    new_users_get_the_default_categories,
    create_rename_recolour_and_nest_one_level,
    merge_moves_expenses_budgets_and_children,
);
