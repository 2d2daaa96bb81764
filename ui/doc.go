// House rules of the dashboard (read before changing it):
//
//   - Update does no I/O and never blocks: requests run in the tea.Cmd it
//     returns, with a context from the root, and answer with a typed
//     message that carries a request id. A reply whose id is no longer
//     current is dropped.
//   - A Cmd never touches model state: copy what it needs (client, SIDs,
//     context) before building the closure.
//   - Screens (services, senders, login, profiles) and dialogs (attach
//     form, confirmations, passphrase, help) each own their state and
//     implement layer. The root routes and holds only what is shared
//     (common); none of them is a tea.Model.
//   - Keys go to the top layer only (the "terminal too small" notice, then
//     the last dialog, then the last screen), and only when it lists the
//     key among the bindings it answers (text fields also get typing).
//     Footers and help are built from those same bindings. ctrl+c always
//     quits.
//   - Selection by identity: cursors hold SIDs, never indexes. A
//     destructive action's target is fixed when its confirmation opens and
//     is named in it; nothing else is ever acted on.
//   - Every string from outside passes the text package before it reaches
//     the terminal or the clipboard.
package ui
