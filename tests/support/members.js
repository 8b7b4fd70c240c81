// Fresh members for one test each, through kosmo-admin member add: a unique
// login ID and card, a known password, logged in before (R1 ア) unless asked.
'use strict';

// admin: an adminRunner's admin(); idBase: the 13-digit range of this suite's
// login IDs; symbolBase, emailPrefix: likewise for the card and address;
// address(counter): the member's own client address, when the suite gives one.
function memberFactory(admin, { idBase, symbolBase, emailPrefix, address }) {
  let counter = 0;
  return function createMember(opts = {}) {
    counter += 1;
    // 13 digits like the manual's IDs, unique across the test files of one run.
    const unique = String(idBase + (Date.now() % 1e10) * 100 + (counter % 100));
    const stamp = unique.slice(-8);
    const member = {
      login_id: opts.login_id || unique,
      password: opts.password || `pw-${stamp}-Secure!`,
      card_symbol: opts.card_symbol || `${symbolBase + (counter % 1000)}`,
      card_number: opts.card_number || `${stamp}`,
      birth_date: opts.birth_date || '1980-01-02',
      email: opts.email === undefined ? `${emailPrefix}${stamp}@example.jp` : opts.email,
    };
    if (address) member.address = address(counter);
    const args = ['member', 'add', '--login-id', member.login_id, '--card-symbol', member.card_symbol,
      '--card-number', member.card_number, '--birth-date', member.birth_date];
    if (member.email) args.push('--email', member.email);
    if (opts.logged_in !== false) args.push('--logged-in');
    if (opts.temporary) args.push('--temporary');
    const out = admin(args, `${member.password}\n`);
    member.member_id = Number(out.match(/member_id=(\d+)/)[1]);
    return member;
  };
}

module.exports = { memberFactory };
