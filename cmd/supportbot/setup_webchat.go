package main

// setupWebchat wires the webchat component into the app. Owned by the webchat
// component's maintainer.
func setupWebchat(app *App) error {
	return nil
}
