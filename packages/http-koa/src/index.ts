// Placeholder: this package is built by a later issue (see README, package map). It exports nothing yet.
export {};
