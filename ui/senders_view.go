package ui

import (
	"fmt"
	"slices"
	"strings"
)

// Layout of the sender screen.
const (
	wideWidth       = 100 // from here the detail pane sits beside the list
	narrowDetailMax = 11  // detail pane height when stacked under the list
	detailMinWidth  = 45  // label (9) + SID (34) + a margin
)

func (s sendersScreen) wide() bool { return s.width >= wideWidth }

// listHeight is the number of list rows that fit.
func (s sendersScreen) listHeight() int {
	if s.wide() {
		return max(1, s.height)
	}
	return max(1, s.height-s.narrowDetailHeight()-1)
}

func (s sendersScreen) narrowDetailHeight() int { return min(narrowDetailMax, s.height/2) }

// listWidth is the width of the list column.
func (s sendersScreen) listWidth() int {
	if s.wide() {
		// The detail pane keeps room for a label and a whole 34-character SID.
		return min(s.width*55/100, s.width-3-detailMinWidth)
	}
	return s.width
}

func (s sendersScreen) view(c *common) string {
	list := s.listView(c)
	title, fields := s.detailPane(c)
	if s.wide() {
		lw := s.listWidth()
		dw := s.width - lw - 3
		left := strings.Split(truncateLines(list, lw, s.height), "\n")
		right := strings.Split(detailView(title, fields, dw, s.height, s.scroll, c.styles), "\n")
		sep := c.styles.separator.Render(" │ ")
		lines := make([]string, len(left))
		for i := range left {
			lines[i] = fit(left[i], lw) + sep + right[i]
		}
		return strings.Join(lines, "\n")
	}
	return truncateLines(list, s.width, s.listHeight()) + "\n" +
		c.styles.separator.Render(strings.Repeat("─", s.width)) + "\n" +
		detailView(title, fields, s.width, s.narrowDetailHeight(), s.scroll, c.styles)
}

func (s sendersScreen) listView(c *common) string {
	switch {
	case s.list.rowCount() > 0:
		return s.list.view(s.listWidth(), c.styles, s.rowStatus(c))
	case s.loading():
		return c.spin + " loading senders…"
	case s.banner(c) != "":
		return "Could not load the senders."
	case s.filter.active() && s.list.totalCount() > 0:
		return fmt.Sprintf("No sender matches %q (esc clears the filter).", oneLine(s.filter.value()))
	}
	return "No senders in this service's pool."
}

func (s sendersScreen) detailPane(c *common) (string, []detailField) {
	sel, ok := s.list.selected()
	if !ok {
		return "Details", nil
	}
	title := "Details"
	if s.detail {
		title = "Details (↑/↓ scroll, esc back)"
	}
	fields := senderFields(sel, c.loc)
	// Status and profile go right after the type: what an operator looks for first.
	return title, slices.Insert(fields, 2, s.status.fields(sel)...)
}
