package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
)

// progressLine is a running batch above the status line: a bar, then
// its counts, most needed first, as a narrow line cuts the end:
// "▕████░░░▏ moving 12/40 · ✗ 1 failed · throttled: resuming in 3s ·
// 4 in flight · 23 to go · about 40s left · esc stop".
func (b batchState) progressLine(c *common, width int) string {
	p := b.last
	barWidth := min(20, max(6, width/5))
	bar := progress.New(progress.WithoutPercentage(), progress.WithWidth(barWidth), progress.WithFillCharacters('█', '░'),
		progress.WithColors(c.styles.spinner.GetForeground()))
	bar.EmptyColor = c.styles.separator.GetForeground()
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Finished()) / float64(p.Total)
	}
	parts := []string{fmt.Sprintf("%s %d/%d", b.verb(), p.Finished(), max(p.Total, len(b.targets)))}
	if p.Failed > 0 {
		parts = append(parts, c.styles.warning.Render(fmt.Sprintf("✗ %d failed", p.Failed)))
	}
	if !p.Resume.IsZero() && p.Resume.After(b.at) {
		parts = append(parts, c.styles.warning.Render("throttled: resuming in "+roundSeconds(p.Resume.Sub(b.at))))
	}
	if b.stopping {
		parts = append(parts, c.styles.warning.Render(fmt.Sprintf("stopping: %d in flight end, no new one starts", p.InFlight)))
	} else {
		parts = append(parts, fmt.Sprintf("%d in flight", p.InFlight), fmt.Sprintf("%d to go", p.Remaining))
		if p.ETA > 0 {
			parts = append(parts, "about "+roundSeconds(p.ETA)+" left")
		}
		parts = append(parts, "esc stop")
	}
	line := bar.ViewAs(frac) + " " + strings.Join(parts, c.styles.dim.Render(" · "))
	return ansi.Truncate(line, width, "…")
}

// roundSeconds is a duration for a person, rounded to the second, at least one: "3s",
// "1m40s".
func roundSeconds(d time.Duration) string {
	return max(time.Second, d.Round(time.Second)).String()
}
