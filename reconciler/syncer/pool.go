package syncer

import "sync"

// forEach calls fn for every index in [0, n) on at most workers goroutines and returns when
// all calls have returned. fn reports its outcome through its own captured state.
func forEach(n, workers int, fn func(i int)) {
	if n == 0 {
		return
	}
	workers = min(workers, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
