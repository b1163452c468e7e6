#[path = "../benches/fixture.rs"]
mod fixture;
use std::time::Instant;
fn main() {
    for _ in 0..5 {
        let t = Instant::now();
        let c = fixture::build(fixture::N);
        let b = t.elapsed();
        let t = Instant::now();
        let s = serde_json::to_string(&c).unwrap();
        let ser = t.elapsed();
        let t = Instant::now();
        c.validate().unwrap();
        let v = t.elapsed();
        let t = Instant::now();
        let y = c.to_yaml();
        let w = t.elapsed();
        let t = Instant::now();
        drop(c);
        let d = t.elapsed();
        println!("build {:?} validate {:?} to_yaml {:?} drop {:?} | serialize {:?} ({} {})", b, v, w, d, ser, s.len(), y.len());
    }
}
