//! Level lines of a function of two variables by marching squares, joined
//! into polylines so that a figure draws a few long paths instead of
//! thousands of short segments.
//!
//! The function is sampled on a grid; in each cell the level $c$ crosses
//! exactly those edges whose two corners lie on different sides of $c$
//! (found by linear interpolation along the edge). Two crossed edges are
//! joined by a segment; four (a saddle) are paired by the value at the
//! cell's centre. Segments sharing an edge are then chained.

use std::collections::BTreeMap;
use std::ops::Range;

/// One edge of the grid: horizontal from node `(i, j)` to `(i + 1, j)`, or
/// vertical from `(i, j)` to `(i, j + 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Edge {
    Horizontal(usize, usize),
    Vertical(usize, usize),
}

/// The level line $f(x, y) = c$ over `x_range × y_range`, sampled on
/// `nx × ny` cells: a list of polylines (closed ones end where they start).
pub fn level_line(
    f: impl Fn(f64, f64) -> f64,
    x_range: Range<f64>,
    y_range: Range<f64>,
    (nx, ny): (usize, usize),
    c: f64,
) -> Vec<Vec<(f64, f64)>> {
    let grid = Grid {
        x_range,
        y_range,
        nx,
        ny,
    };
    let values: Vec<Vec<f64>> = (0..=ny)
        .map(|j| (0..=nx).map(|i| f(grid.x(i), grid.y(j))).collect())
        .collect();
    level_line_on_grid(&grid, &values, c)
}

/// A grid of `(nx + 1) × (ny + 1)` nodes spanning `x_range × y_range`.
#[derive(Debug, Clone)]
pub struct Grid {
    /// From the first column of nodes to the last.
    pub x_range: Range<f64>,
    /// From the first row of nodes to the last.
    pub y_range: Range<f64>,
    /// Cells along x.
    pub nx: usize,
    /// Cells along y.
    pub ny: usize,
}

impl Grid {
    /// The x of node column `i`.
    pub fn x(&self, i: usize) -> f64 {
        self.x_range.start + (self.x_range.end - self.x_range.start) * i as f64 / self.nx as f64
    }

    /// The y of node row `j`.
    pub fn y(&self, j: usize) -> f64 {
        self.y_range.start + (self.y_range.end - self.y_range.start) * j as f64 / self.ny as f64
    }
}

/// The level line $f = c$ from values already sampled on `grid`:
/// `values[j][i]` is $f$ at node `(grid.x(i), grid.y(j))`.
pub fn level_line_on_grid(grid: &Grid, values: &[Vec<f64>], c: f64) -> Vec<Vec<(f64, f64)>> {
    let (nx, ny) = (grid.nx, grid.ny);
    let (x, y) = (|i| grid.x(i), |j| grid.y(j));
    let above = |i: usize, j: usize| values[j][i] >= c;

    // Where the level crosses an edge (the edge is known to be crossed).
    let crossing = |edge: Edge| -> (f64, f64) {
        let ((i0, j0), (i1, j1)) = match edge {
            Edge::Horizontal(i, j) => ((i, j), (i + 1, j)),
            Edge::Vertical(i, j) => ((i, j), (i, j + 1)),
        };
        let (v0, v1) = (values[j0][i0], values[j1][i1]);
        let t = (c - v0) / (v1 - v0);
        (x(i0) + t * (x(i1) - x(i0)), y(j0) + t * (y(j1) - y(j0)))
    };

    // Segments of each cell, as pairs of crossed edges; adjacency of edges.
    let mut neighbours: BTreeMap<Edge, Vec<Edge>> = BTreeMap::new();
    for j in 0..ny {
        for i in 0..nx {
            let bottom = Edge::Horizontal(i, j);
            let right = Edge::Vertical(i + 1, j);
            let top = Edge::Horizontal(i, j + 1);
            let left = Edge::Vertical(i, j);
            // corners counter-clockwise from the bottom left, each with the
            // edge that leaves it counter-clockwise
            let corners = [
                (above(i, j), bottom),
                (above(i + 1, j), right),
                (above(i + 1, j + 1), top),
                (above(i, j + 1), left),
            ];
            let crossed: Vec<Edge> = (0..4)
                .filter(|&k| corners[k].0 != corners[(k + 1) % 4].0)
                .map(|k| corners[k].1)
                .collect();
            let pairs: Vec<(Edge, Edge)> = match crossed.len() {
                2 => vec![(crossed[0], crossed[1])],
                4 => {
                    let centre =
                        (values[j][i] + values[j][i + 1] + values[j + 1][i + 1] + values[j + 1][i])
                            / 4.0;
                    if (centre >= c) == corners[0].0 {
                        // bottom-left and top-right corners joined through
                        // the centre: cut off the other two
                        vec![(bottom, right), (top, left)]
                    } else {
                        vec![(left, bottom), (right, top)]
                    }
                }
                _ => Vec::new(),
            };
            for (a, b) in pairs {
                neighbours.entry(a).or_default().push(b);
                neighbours.entry(b).or_default().push(a);
            }
        }
    }

    // Chain: open lines first (from an edge with one neighbour), then loops.
    let mut lines = Vec::new();
    let starts: Vec<Edge> = neighbours
        .iter()
        .filter(|(_, n)| n.len() == 1)
        .map(|(e, _)| *e)
        .chain(neighbours.keys().copied())
        .collect();
    for start in starts {
        if neighbours.get(&start).is_none_or(Vec::is_empty) {
            continue;
        }
        let mut line = vec![crossing(start)];
        let mut at = start;
        while let Some(next) = neighbours.get_mut(&at).and_then(Vec::pop) {
            if let Some(back) = neighbours.get_mut(&next)
                && let Some(k) = back.iter().position(|&e| e == at)
            {
                back.swap_remove(k);
            }
            line.push(crossing(next));
            at = next;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_circle_is_one_closed_line_on_the_circle() {
        let lines = level_line(|x, y| x * x + y * y, -2.0..2.0, -2.0..2.0, (40, 40), 1.0);
        assert_eq!(lines.len(), 1, "{}", lines.len());
        let line = &lines[0];
        assert_eq!(line.first(), line.last(), "closed");
        assert!(line.len() > 40);
        for &(x, y) in line {
            // linear interpolation on a 0.1 grid: within a few thousandths
            assert!((x.hypot(y) - 1.0).abs() < 5e-3, "({x}, {y})");
        }
    }

    #[test]
    fn a_line_crossing_the_box_is_open_and_straight() {
        // x + 2y = 0.3 is a straight line; interpolation is exact for it
        let lines = level_line(|x, y| x + 2.0 * y, -1.0..1.0, -1.0..1.0, (10, 10), 0.3);
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_ne!(line.first(), line.last());
        for &(x, y) in line {
            assert!((x + 2.0 * y - 0.3).abs() < 1e-12);
        }
    }

    #[test]
    fn two_separate_circles_are_two_lines_and_nothing_is_drawn_off_level() {
        let f = |x: f64, y: f64| ((x - 1.0).powi(2) + y * y).min((x + 1.0).powi(2) + y * y);
        let lines = level_line(f, -3.0..3.0, -2.0..2.0, (60, 40), 0.25);
        assert_eq!(lines.len(), 2);
        assert!(level_line(f, -3.0..3.0, -2.0..2.0, (60, 40), -1.0).is_empty());
    }
}
