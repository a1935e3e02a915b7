// Command etcd is the etcd server that integration tests start as the storage of their member
// clusters' kube-apiservers. It only hands its arguments to the upstream server entry point, so
// the binary behaves like an official etcd of the pinned go.etcd.io/etcd/server/v3 version.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
