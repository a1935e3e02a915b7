package v1alpha1

import (
	"strings"

	"github.com/google/uuid"
)

// permanentIDNamespace seeds the name-based UUIDs gitfleet derives for objects that Karmada
// would label with a random permanent id. It is a fixed UUID so ids never change between runs.
var permanentIDNamespace = uuid.MustParse("6f0c1c52-5b1e-4d5e-9a57-0b7a4c1d9e01")

// DerivePermanentID returns the permanent id of the object identified by kind, namespace and
// name. Karmada assigns a random UUID when such an object is created; in Git there is no
// creation event, so gitfleet derives a name-based (version 5) UUID from the identity instead:
// the same object always gets the same id, on every machine and in every render.
func DerivePermanentID(kind, namespace, name string) string {
	return uuid.NewSHA1(permanentIDNamespace, []byte(strings.Join([]string{kind, namespace, name}, "/"))).String()
}
