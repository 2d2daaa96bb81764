package ui

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Crash describes a panic caught in Update or View.
type Crash struct {
	Value any    // what was passed to panic
	Where string // the innermost frame in senderpool's own code
	Stack string // the whole goroutine stack, for a bug report
}

// Report is the short text printed after the terminal is restored.
func (c Crash) Report() string {
	return fmt.Sprintf("senderpool crashed: %v\n  at %s", c.Value, c.Where)
}

// Guarded wraps the dashboard so that a panic in Update or View ends the
// program through tea.Quit: Bubble Tea then restores the terminal (alt
// screen left, cursor shown, keyboard modes reset) the normal way, and the
// caller prints a short report instead of a raw stack in a raw terminal.
type Guarded struct {
	Model     Model
	box       *crashBox // shared by every copy: View cannot return a changed model
	viewPanic bool      // a test build's hook asked View to panic
}

// crashBox holds a crash, and the program's Send so that a crash in View
// can reach Update (which can quit).
type crashBox struct {
	crash *Crash
	send  func(tea.Msg)
}

// crashedMsg wakes Update after View crashed.
type crashedMsg struct{}

// Guard wraps m. Call SetSend with the program's Send before running it.
func Guard(m Model) Guarded { return Guarded{Model: m, box: &crashBox{}} }

// SetSend lets a crash in View be reported to Update.
func (g Guarded) SetSend(send func(tea.Msg)) { g.box.send = send }

// Crash is the panic that ended the program, or nil.
func (g Guarded) Crash() *Crash { return g.box.crash }

// Init implements tea.Model.
func (g Guarded) Init() tea.Cmd { return g.Model.Init() }

// Update implements tea.Model.
func (g Guarded) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	if g.box.crash != nil {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.box.crash = newCrash(r)
			next, cmd = g, tea.Quit
		}
	}()
	if inUpdate, inView := crashHook(msg); inUpdate {
		panic("test panic in Update")
	} else if inView {
		g.viewPanic = true
	}
	m, cmd := g.Model.Update(msg)
	g.Model = m.(Model)
	return g, cmd
}

// View implements tea.Model. After a crash it draws nothing: the program
// is quitting.
func (g Guarded) View() (v tea.View) {
	if g.box.crash != nil {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			g.box.crash = newCrash(r)
			v = tea.NewView("")
			if send := g.box.send; send != nil {
				go send(crashedMsg{}) // Update quits on the next message
			}
		}
	}()
	if g.viewPanic {
		panic("test panic in View")
	}
	return g.Model.View()
}

func newCrash(r any) *Crash {
	c := &Crash{Value: r, Stack: string(debug.Stack())}
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, "senderpool/") && !strings.Contains(f.Function, "ui.Guarded") && !strings.Contains(f.Function, "ui.newCrash") {
			c.Where = fmt.Sprintf("%s (%s:%d)", f.Function, shortFile(f.File), f.Line)
			break
		}
		if !more {
			c.Where = "unknown"
			break
		}
	}
	return c
}

func shortFile(path string) string {
	if i := strings.LastIndex(path, "/senderpool/"); i >= 0 {
		return path[i+len("/senderpool/"):]
	}
	return path
}
