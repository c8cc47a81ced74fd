//! `dockgen report` in text: the total and how it splits between the base image and the
//! Dockerfile's last stage, then each layer that holds files with its size, share and step.

use super::{inert, out};
use crate::report::{human, Report};

pub fn report_text(r: &Report) {
    let share = |n: u64| match r.total {
        0 => 0.0,
        t => n as f64 * 100.0 / t as f64,
    };
    let mut s = format!("{}  {}\n", inert(&r.image), human(r.total));
    let base = r.base_image.as_deref().unwrap_or("the base image");
    s.push_str(&format!(
        "  base image {}: {} ({:.1}%); the last stage adds {} ({:.1}%) in {} steps\n",
        inert(base),
        human(r.base),
        share(r.base),
        human(r.added),
        share(r.added),
        r.steps
    ));
    s.push_str(&format!("\n{:>10}  {:>6}  step\n", "size", "share"));
    for layer in &r.layers {
        let from = match &layer.source {
            Some(source) => format!("{source}  "),
            None => "base  ".to_string(),
        };
        let mut step = layer.step.clone();
        if step.chars().count() > 90 {
            step = step.chars().take(87).collect::<String>() + "...";
        }
        s.push_str(&format!(
            "{:>10}  {:>5.1}%  {}{}\n",
            human(layer.size),
            share(layer.size),
            inert(&from),
            inert(&step)
        ));
    }
    out(&s);
}
