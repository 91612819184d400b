import { render } from 'preact';

// The public site's shell replaces this placeholder (issue #15).
render(<main><h1>Phản ánh hiện trường</h1></main>, document.getElementById('app')!);
