package nodeapi

import "context"

// Post sends one signed request as the Client does, for tests that ask
// what an honest Client never would.
func (c *Client) Post(ctx context.Context, path string, in, out any) error {
	return c.call(ctx, path, in, out)
}

// SignRequest signs req as a Client does.
var SignRequest = signRequest
