"""The Streamlit pages of Trợ lý Quy định."""
