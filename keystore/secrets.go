package keystore

import (
	"context"
	"errors"
	"fmt"
)

// Where a profile's secret is put, read and removed: the keyring or the
// encrypted file.

// putKeyringSecret writes the secret and returns how to put back what was
// there (the previous secret, or no item).
func (s *Store) putKeyringSecret(ctx context.Context, name, secret string) (undo func(), err error) {
	prev, err := s.keyringGet(ctx, name)
	hadPrev := err == nil
	if err != nil && !errors.Is(err, ErrSecretNotFound) {
		return nil, err
	}
	if err := s.keyringSet(ctx, name, secret); err != nil {
		return nil, err
	}
	return func() {
		uctx := context.WithoutCancel(ctx)
		if hadPrev {
			_ = s.keyringSet(uctx, name, prev)
		} else {
			_ = s.keyringDelete(uctx, name)
		}
	}, nil
}

// removeSecret deletes p's secret from where it lives; an absent secret is
// not an error.
func (s *Store) removeSecret(ctx context.Context, p Profile) error {
	switch p.Storage {
	case StorageFile:
		return s.removeFileSecret(p.Name)
	default:
		err := s.keyringDelete(ctx, p.Name)
		if errors.Is(err, ErrSecretNotFound) {
			return nil
		}
		return err
	}
}

// Secret reads p's secret from the keyring or the encrypted file (asking
// for the passphrase). Errors: ErrNoKeyring, ErrKeyringTimeout,
// ErrSecretNotFound, ErrWrongPassphrase, ErrNoPassphrase,
// ErrSecretFileCorrupt.
func (s *Store) Secret(ctx context.Context, p Profile) (string, error) {
	if err := ValidateProfileName(p.Name); err != nil {
		return "", err
	}
	switch p.Storage {
	case StorageKeyring, "":
		return s.keyringGet(ctx, p.Name)
	case StorageFile:
		return s.fileSecret(ctx, p.Name)
	}
	_, err := ParseStorage(string(p.Storage))
	return "", fmt.Errorf("profile %q: %w", p.Name, err)
}

// Reachable reports whether p's secret can be had now, for `senderpool
// profiles`. For the keyring it reads the item (under the timeout). For the
// file store it checks the encrypted file is there and is a
// passphrase-encrypted age file, without asking for the passphrase.
func (s *Store) Reachable(ctx context.Context, p Profile) error {
	if p.Storage == StorageFile {
		if err := ValidateProfileName(p.Name); err != nil {
			return err
		}
		_, err := s.readSecretFile(ctx, p.Name)
		return err
	}
	_, err := s.Secret(ctx, p)
	return err
}
