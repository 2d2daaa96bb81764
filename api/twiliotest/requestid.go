package twiliotest

import "fmt"

// RequestIDHeader is the header in which Twilio names each request it
// answers (RQ followed by 32 hex digits), for its support to find it. The
// fake sends it on every reply, errors and faults included, except a
// proxy's HTML page (FaultHTML: the request never reached Twilio) and a
// dropped connection, which has no reply at all.
const RequestIDHeader = "Twilio-Request-Id"

// requestID is the id of the fake's seq-th request. Ids are unique per
// fake and the same on every run, so the demo's screens and logs are too;
// they look as random as Twilio's, so that nothing comes to rely on their
// order.
func requestID(seq uint64) string {
	// mix is a bijection, so the first half alone tells two ids apart.
	return fmt.Sprintf("RQ%016x%016x", mix(seq), mix(seq^0x5e2d58d8b3bce8d9))
}

// mix is splitmix64's finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
