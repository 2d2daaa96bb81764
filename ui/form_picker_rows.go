package ui

// move puts the cursor on match i (-1: the field).
func (p *picker) move(i int) {
	p.cursor = max(-1, min(i, len(p.matches)-1))
	p.picked = ""
	if e, ok := p.selected(); ok {
		p.picked = e.SID
	}
}

// rowCount is how many rows the picker has: a heading for each kind with
// matches, and the matches.
func (p picker) rowCount() int { return len(p.matches) + len(p.spans) }

// rowOf is the row of match i.
func (p picker) rowOf(i int) int {
	for si, s := range p.spans {
		if i < s.start+s.n {
			return i + si + 1
		}
	}
	return 0
}

// rowAt is what row r shows: the heading of span s (match -1) or match m.
func (p picker) rowAt(r int) (span, match int) {
	for si, s := range p.spans {
		if r == 0 {
			return si, -1
		}
		if r <= s.n {
			return si, s.start + r - 1
		}
		r -= s.n + 1
	}
	return -1, -1
}

// scroll keeps the cursor's row within rows visible rows, with its kind's
// heading when it is the kind's first.
func (p *picker) scroll(rows int) {
	rows = max(1, rows)
	if p.cursor < 0 {
		p.offset = 0
		return
	}
	r := p.rowOf(p.cursor)
	if r < p.offset {
		p.offset = r
		if _, m := p.rowAt(r - 1); rows > 1 && m < 0 {
			p.offset = r - 1
		}
	}
	if r >= p.offset+rows {
		p.offset = r - rows + 1
	}
	p.offset = max(0, min(p.offset, p.rowCount()-1))
}
