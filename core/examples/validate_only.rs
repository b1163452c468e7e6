#[path = "../benches/fixture.rs"]
mod fixture;
fn main() {
    let c = fixture::build(fixture::N);
    for _ in 0..10 {
        c.validate().unwrap();
    }
}
