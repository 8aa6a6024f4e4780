//go:build !amd64 || purego

package structured

var classifiers []classifier
