// Package conformance proves senderpool against Twilio's own contract: the
// official OpenAPI files in spec/ (the Messaging API's v1 and v2, and the
// 2010 API's account numbers), served by the Prism mock server
// (@stoplight/prism-cli), which rejects any request the spec does not allow.
//
// It holds tests only. They drive the real api.Client and the real binary
// at Prism, show with negative controls that Prism does reject wrong
// requests, compare the wire JSON of the fake in api/twiliotest with
// Prism's, and decode every spec example into the api types.
//
// Without Prism the Prism tests skip. To run them:
//
//	eval "$(conformance/prism.sh start)"   # installs Prism if needed, prints the exports
//	go test -count=1 -v ./conformance
//	conformance/prism.sh check             # no request to the clean mocks was rejected
//	conformance/prism.sh stop
//
// The variables: SENDERPOOL_PRISM_V1_URL, SENDERPOOL_PRISM_V2_URL and
// SENDERPOOL_PRISM_V2010_URL (mocks only our own, correct requests reach,
// so their logs must stay free of rejections; the client points its
// Messaging base at the v1 or v2 mock and its 2010 API base at the 2010
// one), SENDERPOOL_PRISM_V1_CONTROL_URL, SENDERPOOL_PRISM_V2_CONTROL_URL
// and SENDERPOOL_PRISM_V2010_CONTROL_URL (separate mocks for the negative
// controls, which are rejected on purpose; they default to the clean
// ones), and SENDERPOOL_REQUIRE_PRISM, which turns a skip into a failure.
package conformance
