//! `oxbeam-loader`: reads OTP `.beam` files into a plain-data module IR.
