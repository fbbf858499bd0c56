// `cargo xtask serve`: mdBook's playground, run by the local server.
//
// This file is not part of the static book. The server builds a copy of the
// book with mdBook's playground on and loads this file inside mdBook's own
// book.js (crates/xtask/src/serve/site.rs), whose `fetch_with_timeout` then
// calls `window.courseServe.fetch`: the ▶ button, the editor and the result
// block stay mdBook's; only the address changes (this server instead of
// play.rust-lang.org), the request carries the token the server wrote into
// this page, and there is no 6 s cut (the server has its own limits).
window.courseServe = (function () {
    'use strict';

    const PLAYGROUND = 'https://play.rust-lang.org/';
    const RUNNING = 'Running...'; // what book.js writes before it sends the code
    const WAITING = 'компиляция…'; // what this file writes while the server works

    function token() {
        const meta = document.querySelector('meta[name="course-run-token"]');
        return meta ? meta.content : '';
    }

    function post(path, body) {
        return window.fetch(path, {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-Course-Token': token()},
            body: body === undefined ? '{}' : body,
            mode: 'same-origin',
            credentials: 'omit',
            cache: 'no-store',
        });
    }

    // The result blocks waiting for this run say so, and during the server's
    // first build they say why it takes long.
    function showWaiting(blocks) {
        blocks.forEach(function (block) {
            block.dataset.courseWaiting = '1';
            block.textContent = WAITING;
        });
        post('/status')
            .then(function (r) { return r.json(); })
            .then(function (s) {
                if (s.warmup !== 'building') {
                    return;
                }
                blocks.forEach(function (block) {
                    if (block.dataset.courseWaiting) {
                        block.textContent = WAITING + ' идёт первая сборка крейтов курса ' +
                            '(после cargo test — десятки секунд, с нуля — минуты; потом ▶ отвечает за секунды)';
                    }
                });
            })
            .catch(function () {});
    }

    function doneWaiting(blocks) {
        blocks.forEach(function (block) { delete block.dataset.courseWaiting; });
    }

    // An SVG the snippet wrote is shown under its code, as an image (so no
    // script inside it can run).
    function showSvgs(blocks, svgs) {
        blocks.forEach(function (block) {
            const pre = block.closest('pre');
            if (!pre) {
                return;
            }
            let next = pre.nextElementSibling;
            while (next && next.classList.contains('course-svg')) {
                const gone = next;
                next = next.nextElementSibling;
                gone.remove();
            }
            let after = pre;
            svgs.forEach(function (file) {
                const figure = document.createElement('figure');
                figure.className = 'course-svg';
                const img = document.createElement('img');
                img.alt = file.name;
                img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(file.svg);
                const caption = document.createElement('figcaption');
                caption.textContent = file.name;
                figure.append(img, caption);
                after.after(figure);
                after = figure;
            });
        });
    }

    function fetch(url, options) {
        const path = url.startsWith(PLAYGROUND) ? '/' + url.slice(PLAYGROUND.length) : url;
        if (path !== '/evaluate.json') {
            return post(path, options && options.body);
        }
        const blocks = Array.from(document.querySelectorAll('code.result'))
            .filter(function (block) { return block.textContent === RUNNING; });
        showWaiting(blocks);
        return post(path, options.body).then(function (response) {
            return response.clone().json().then(function (body) {
                doneWaiting(blocks);
                showSvgs(blocks, body.svgs || []);
                return response;
            }, function () {
                doneWaiting(blocks);
                return response;
            });
        }, function (error) {
            doneWaiting(blocks);
            throw error;
        });
    }

    // `cargo xtask serve --self-test` opens a chapter with `?self-test`:
    // press ▶ on the first listing that is not editable, then put the code
    // given in `code=` into the first editable listing and press ▶ there,
    // and report both result blocks to the server.
    function selfTest() {
        const params = new URLSearchParams(window.location.search);
        if (!params.has('self-test')) {
            return;
        }
        const report = {};
        function until(find, ms) {
            return new Promise(function (resolve, reject) {
                const start = Date.now();
                (function tick() {
                    const found = find();
                    if (found) {
                        resolve(found);
                    } else if (Date.now() - start > ms) {
                        reject(new Error('timed out after ' + ms + ' ms'));
                    } else {
                        setTimeout(tick, 100);
                    }
                })();
            });
        }
        function resultOf(pre) {
            return until(function () {
                const result = pre.querySelector('code.result');
                // Between the server's answer and book.js writing it, the
                // block still says WAITING: that is not the output either.
                if (!result || result.dataset.courseWaiting || result.textContent === RUNNING ||
                    result.textContent.startsWith(WAITING)) {
                    return null;
                }
                return result.textContent;
            }, 20 * 60 * 1000);
        }
        until(function () { return document.querySelector('pre.playground .play-button:not(.hidden)'); }, 60000)
            .then(function () {
                const pres = Array.from(document.querySelectorAll('pre.playground'));
                report.blocks = pres.length;
                report.editable = document.querySelectorAll('pre.playground code.editable').length;
                report.buttons = document.querySelectorAll('pre.playground .play-button:not(.hidden)').length;
                const first = pres.find(function (pre) { return !pre.querySelector('code.editable'); });
                first.querySelector('.play-button').click();
                return resultOf(first);
            })
            .then(function (text) {
                report.first = text;
                const code = document.querySelector('pre.playground code.editable');
                const pre = code.closest('pre');
                window.ace.edit(code).setValue(params.get('code') || '', 1);
                pre.querySelector('.play-button').click();
                return resultOf(pre);
            })
            .then(function (text) { report.edited = text; })
            .catch(function (error) { report.error = String(error && error.message || error); })
            .then(function () { return post('/self-test', JSON.stringify(report)); });
    }
    window.addEventListener('load', selfTest);

    return {fetch: fetch};
})();
